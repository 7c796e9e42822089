import { BLOCK_SAMPLES, SAMPLES_PER_MS } from '../audio-format.js';
import { rmsDb, SILENCE_DB } from '../dsp/decibels.js';
import { DecisionLogic } from './decision-logic.js';
import { DEFAULT_DELAY_POLICY, DelayManager, type DelayPolicy } from './delay-manager.js';
import type { OpusFrameDecoder } from './opus-frame-decoder.js';
import { Playout } from './playout.js';
import { PlayoutController } from './playout-controller.js';
import { ReceiveStatistics, type PeerReceiveStats, type PeerReceiverReport } from './receive-stats.js';
import { RedUsage } from './red-usage.js';
import { StreamTracker } from './stream-tracker.js';
import { unpackPacket, type EncodedFrame, type IncomingPacket } from './unpack.js';

export type { IncomingPacket } from './unpack.js';

export interface PeerReceiverOptions {
  /** Upper bound of the jitter buffer's target delay, 40–2000 ms; default 400. */
  maxDelayMs?: number;
  /** Lower bound of the target delay (extra safety a user may ask for), 0–maxDelayMs; default 0. */
  minDelayMs?: number;
}

const MAX_VOLUME = 2;

/**
 * One remote peer's receive path: packets in (any order, any timing), a
 * steady 10 ms block of that peer's audio out on every playout tick.
 *
 * insert → unpack (RED, end marker) → stream placement (duplicates, late,
 * restarts) → controller (delay manager, RED usage) and jitter buffer;
 * pull → playout: the controller decides, the playout decodes / uses a RED
 * copy / conceals / compresses / fades → volume. Every count goes to one
 * ReceiveStatistics.
 */
export class PeerReceiver {
  private readonly stream = new StreamTracker();
  private readonly statistics = new ReceiveStatistics();
  private readonly controller: PlayoutController;
  private readonly playout: Playout;
  private levelDb = SILENCE_DB;
  private gainApplied = 1;
  private volumeValue = 1;
  private closed = false;
  private lastNowMs = 0;
  /** Local mute of this peer: still decoded (its stats and talking flag stay live), never heard. */
  muted = false;

  /**
   * Made at once, whether or not `decoder` is ready yet: packets are taken
   * from the start, and playout begins with the first block the decoder is
   * ready for. Throws a RangeError for impossible options (the decoder is then
   * the caller's to close).
   */
  constructor(
    private readonly decoder: OpusFrameDecoder,
    options: PeerReceiverOptions = {},
  ) {
    this.controller = new PlayoutController(new DelayManager(delayPolicy(options)), new RedUsage(), new DecisionLogic());
    this.playout = new Playout(decoder, this.controller, this.statistics);
  }

  /** Whether its decoder has started: until then packets wait in the jitter buffer and pull() plays silence. */
  get ready(): boolean {
    return this.decoder.ready;
  }

  /** Linear gain 0–2 of this peer (the per-peer volume slider); changes ramp over one block. */
  get volume(): number {
    return this.volumeValue;
  }

  set volume(value: number) {
    if (!(value >= 0 && value <= MAX_VOLUME)) throw new RangeError(`volume must lie in 0–${MAX_VOLUME}, got ${value}`);
    this.volumeValue = value;
  }

  /** Takes one packet of this peer. Never throws: unusable packets are counted and dropped. */
  insert(packet: IncomingPacket): void {
    if (this.closed) return;
    const counts = this.statistics;
    const unpacked = unpackPacket(packet);
    if (!unpacked.ok) {
      counts.malformed++;
      return;
    }
    const placed = this.stream.place(packet.index, packet.timestamp);
    if (placed.kind === 'duplicate') {
      counts.duplicates++;
      return;
    }
    if (placed.kind === 'outOfStream') {
      counts.malformed++;
      return;
    }
    counts.packetsReceived++;
    if (placed.kind === 'tooOld') {
      counts.late++;
      return;
    }
    if (placed.restarted) {
      this.controller.streamRestarted();
      counts.streamRestarted();
      this.playout.restartTimeline();
    }
    const seq = packet.index;
    if (unpacked.primary) this.acceptPrimary(packet, unpacked.primary, unpacked.redundant, seq, placed.ts);
    else this.playout.offerEndMarker(seq, placed.ts);
    for (const copy of unpacked.redundant) this.acceptRedundant(packet, copy, seq, placed.ts);
  }

  /** The next BLOCK_SAMPLES (10 ms) of this peer's audio, volume and mute applied. Call once per playout tick. */
  pull(nowMs: number): Float32Array {
    const out = new Float32Array(BLOCK_SAMPLES);
    // Until the decoder has started nothing can play: what arrived waits in the buffer, as it would for its time to come.
    if (this.closed || !this.decoder.ready) return out;
    // A broken clock reading must not poison the schedule: keep the last good one.
    if (Number.isFinite(nowMs)) this.lastNowMs = nowMs;
    this.playout.render(this.lastNowMs, out);
    this.levelDb = rmsDb(out);
    this.applyGain(out);
    return out;
  }

  stats(): PeerReceiveStats {
    return this.statistics.stats({
      targetDelayMs: this.controller.targetMs,
      bufferDelayMs: this.playout.bufferedSamples / SAMPLES_PER_MS,
      talking: this.playout.talking,
      level: this.levelDb,
      bufferedFrames: this.playout.bufferedFrames,
    });
  }

  /** Loss since the previous call (RFC 3550 fraction lost) and current jitter, for the session's PING. */
  receiverReport(): PeerReceiverReport {
    return this.statistics.report(this.stream.expected, this.stream.receivedInStream);
  }

  /** Frees the decoder; later calls are harmless (pull returns silence). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.decoder.close();
  }

  private acceptPrimary(packet: IncomingPacket, frame: EncodedFrame, redundant: EncodedFrame[], seq: number, ts: number): void {
    const samples = frame.info.totalSamples;
    this.controller.packetArrived({ arrivalMs: packet.arrivalMs, ts, frameSamples: samples, redundant, marker: packet.marker });
    this.statistics.packetArrived(packet.arrivalMs, ts / SAMPLES_PER_MS);
    this.playout.offer({
      ts,
      seq,
      samples,
      // Copied: the caller's buffer may be reused once insert returns.
      payload: frame.payload.slice(),
      info: frame.info,
      source: 'primary',
      marker: packet.marker,
      arrivalMs: packet.arrivalMs,
    });
  }

  private acceptRedundant(packet: IncomingPacket, copy: EncodedFrame, seq: number, ts: number): void {
    // RED blocks carry no sequence number; frames of equal length before this one give it.
    const framesBack = Math.max(1, Math.round(copy.timestampOffset / copy.info.totalSamples));
    this.playout.offer({
      ts: ts - copy.timestampOffset,
      seq: seq - framesBack,
      samples: copy.info.totalSamples,
      payload: copy.payload.slice(),
      info: copy.info,
      source: 'red',
      marker: false,
      arrivalMs: packet.arrivalMs,
    });
  }

  private applyGain(out: Float32Array): void {
    const target = this.muted ? 0 : this.volumeValue;
    const from = this.gainApplied;
    if (from === 1 && target === 1) return;
    // A ramp across the block: a slider move or mute never steps the waveform.
    const step = (target - from) / out.length;
    for (let i = 0; i < out.length; i++) out[i]! *= from + step * (i + 1);
    this.gainApplied = target;
  }
}

/** The delay policy for these options; a RangeError names the first impossible one. */
function delayPolicy(options: PeerReceiverOptions): DelayPolicy {
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_DELAY_POLICY.maxDelayMs;
  const minDelayMs = options.minDelayMs ?? DEFAULT_DELAY_POLICY.minDelayMs;
  if (!(maxDelayMs >= 40 && maxDelayMs <= 2000)) throw new RangeError(`maxDelayMs must lie in 40–2000, got ${maxDelayMs}`);
  if (!(minDelayMs >= 0 && minDelayMs <= maxDelayMs)) throw new RangeError(`minDelayMs must lie in 0–maxDelayMs, got ${minDelayMs}`);
  return { ...DEFAULT_DELAY_POLICY, maxDelayMs, minDelayMs };
}
