import { BLOCK_SAMPLES, SAMPLES_PER_MS } from '../audio-format.js';
import { DEFAULT_DELAY_POLICY, DelayManager, type DelayPolicy } from './delay-manager.js';
import { InterarrivalJitter } from './interarrival-jitter.js';
import { OpusFrameDecoder } from './opus-frame-decoder.js';
import { Playout } from './playout.js';
import { rmsDb, SILENCE_DB } from '../dsp/decibels.js';
import { IntervalLoss, percent, type PeerReceiveStats, type PeerReceiverReport } from './receive-stats.js';
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

/** Frame duration assumed until the first packet says otherwise. */
const DEFAULT_FRAME_SAMPLES = 20 * SAMPLES_PER_MS;
const MAX_VOLUME = 2;

/**
 * One remote peer's receive path: packets in (any order, any timing), a
 * steady 10 ms block of that peer's audio out on every playout tick.
 *
 * insert → unpack (RED, end marker) → duplicate check → delay manager and
 * jitter → jitter buffer; pull → decision logic → decode / RED copy /
 * conceal / compress / fade → volume.
 */
export class PeerReceiver {
  private readonly delayPolicy: DelayPolicy;
  private readonly stream = new StreamTracker();
  private delays: DelayManager;
  private jitter = new InterarrivalJitter();
  private redUsage = new RedUsage();
  private intervalLoss = new IntervalLoss();
  private readonly playout: Playout;
  private readonly maxDelayMs: number;
  private frameSamples = DEFAULT_FRAME_SAMPLES;
  private packetsReceived = 0;
  private duplicates = 0;
  private malformed = 0;
  private late = 0;
  private levelDb = SILENCE_DB;
  private gainApplied = 1;
  private volumeValue = 1;
  private closed = false;
  private lastNowMs = 0;
  /** Local mute of this peer: still decoded (its stats and talking flag stay live), never heard. */
  muted = false;

  private constructor(
    private readonly decoder: OpusFrameDecoder,
    options: PeerReceiverOptions,
  ) {
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_DELAY_POLICY.maxDelayMs;
    const minDelayMs = options.minDelayMs ?? DEFAULT_DELAY_POLICY.minDelayMs;
    if (!(this.maxDelayMs >= 40 && this.maxDelayMs <= 2000)) throw new RangeError(`maxDelayMs must lie in 40–2000, got ${this.maxDelayMs}`);
    if (!(minDelayMs >= 0 && minDelayMs <= this.maxDelayMs)) throw new RangeError(`minDelayMs must lie in 0–maxDelayMs, got ${minDelayMs}`);
    this.delayPolicy = { ...DEFAULT_DELAY_POLICY, maxDelayMs: this.maxDelayMs, minDelayMs };
    this.delays = new DelayManager(this.delayPolicy);
    this.playout = new Playout(decoder, {
      targetSamples: () => this.targetMs() * SAMPLES_PER_MS,
      playoutTransitMs: () => this.delays.playoutTransitMs(this.frameSamples / SAMPLES_PER_MS, this.redUsage.depthSamples / SAMPLES_PER_MS),
      maxDelaySamples: this.maxDelayMs * SAMPLES_PER_MS,
    });
  }

  static async create(options: PeerReceiverOptions = {}): Promise<PeerReceiver> {
    const decoder = await OpusFrameDecoder.create();
    try {
      return new PeerReceiver(decoder, options);
    } catch (error) {
      decoder.close();
      throw error;
    }
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
    const unpacked = unpackPacket(packet);
    if (!unpacked.ok) {
      this.malformed++;
      return;
    }
    const placed = this.stream.place(packet.index, packet.timestamp);
    if (placed.kind === 'duplicate') {
      this.duplicates++;
      return;
    }
    if (placed.kind === 'outOfStream') {
      this.malformed++;
      return;
    }
    this.packetsReceived++;
    if (placed.kind === 'tooOld') {
      this.late++;
      return;
    }
    const seq = packet.index;
    const { ts } = placed;
    if (placed.restarted) this.followRestartedSender();
    if (unpacked.primary) this.acceptPrimary(packet, unpacked.primary, unpacked.redundant, seq, ts);
    else this.playout.offerEndMarker(seq, ts);
    for (const copy of unpacked.redundant) this.acceptRedundant(packet, copy, seq, ts);
  }

  /** The next BLOCK_SAMPLES (10 ms) of this peer's audio, volume and mute applied. Call once per playout tick. */
  pull(nowMs: number): Float32Array {
    const out = new Float32Array(BLOCK_SAMPLES);
    if (this.closed) return out;
    // A broken clock reading must not poison the schedule: keep the last good one.
    if (Number.isFinite(nowMs)) this.lastNowMs = nowMs;
    this.playout.render(this.lastNowMs, out);
    this.levelDb = rmsDb(out);
    this.applyGain(out);
    return out;
  }

  stats(): PeerReceiveStats {
    const c = this.playout.counters;
    const due = c.decodedFromPrimary + c.recoveredByRed + c.lost;
    return {
      packetsReceived: this.packetsReceived,
      duplicates: this.duplicates,
      malformed: this.malformed,
      late: this.late,
      latePct: percent(this.late, this.packetsReceived),
      lost: c.lost,
      lostPct: percent(c.lost, due),
      recoveredByRed: c.recoveredByRed,
      recoveredByRedPct: percent(c.recoveredByRed, due),
      discarded: c.discarded,
      concealedPct: percent(c.concealedSamplesPlayed, c.concealedSamplesPlayed + c.decodedSamplesPlayed),
      timeCompressedMs: c.timeCompressedSamples / SAMPLES_PER_MS,
      timeStretchedMs: c.timeStretchedSamples / SAMPLES_PER_MS,
      jitterMs: this.jitter.ms,
      targetDelayMs: this.targetMs(),
      bufferDelayMs: this.playout.bufferedSamples / SAMPLES_PER_MS,
      talking: this.playout.talking,
      level: this.levelDb,
      bufferedFrames: this.playout.bufferedFrames,
    };
  }

  /** Loss since the previous call (RFC 3550 fraction lost) and current jitter, for the session's PING. */
  receiverReport(): PeerReceiverReport {
    return {
      lossPermille: this.intervalLoss.report(this.stream.expected, this.stream.receivedInStream),
      jitterMs: Math.min(0xffff, Math.round(this.jitter.ms)),
    };
  }

  /** Frees the decoder; later calls are harmless (pull returns silence). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.decoder.close();
  }

  /** The sender restarted its counters: what was measured of the old stream says nothing of the new one. */
  private followRestartedSender(): void {
    this.delays = new DelayManager(this.delayPolicy);
    this.jitter = new InterarrivalJitter();
    this.redUsage = new RedUsage();
    this.intervalLoss = new IntervalLoss();
    this.playout.restartTimeline();
  }

  private acceptPrimary(packet: IncomingPacket, frame: EncodedFrame, redundant: EncodedFrame[], seq: number, ts: number): void {
    const mediaMs = ts / SAMPLES_PER_MS;
    this.delays.onPacket(packet.arrivalMs, mediaMs);
    this.jitter.onPacket(packet.arrivalMs, mediaMs);
    this.redUsage.onPacket(redundant, packet.marker);
    this.frameSamples = frame.info.totalSamples;
    const outcome = this.playout.offer({
      ts,
      seq,
      samples: frame.info.totalSamples,
      // Copied: the caller's buffer may be reused once insert returns.
      payload: frame.payload.slice(),
      info: frame.info,
      source: 'primary',
      marker: packet.marker,
      arrivalMs: packet.arrivalMs,
    });
    if (outcome === 'late') this.late++;
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

  private targetMs(): number {
    const frameMs = this.frameSamples / SAMPLES_PER_MS;
    return this.delays.targetMs(frameMs, this.redUsage.depthSamples / SAMPLES_PER_MS);
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
