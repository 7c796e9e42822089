import { Encoder } from '@evan/opus';
import { OpusDecoder } from 'opus-decoder';
import { SAMPLES_PER_MS, floatToInt16 } from '../../../../electron/engine/audio-format.js';
import type { IncomingPacket } from '../../../../electron/engine/receive/peer-receiver.js';
import { OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../../../server/protocol/constants.js';
import { encodeRed } from '../../../../server/protocol/red.js';
import { extendSequence } from '../../../../server/protocol/rtp.js';
import { concatSamples } from '../../../support/signals.js';

/** One RTP packet as a Parley sender emits it, before the network has its way. */
export interface SentPacket {
  sequence: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  payload: Uint8Array;
  /** When the sender sends it (its frame is complete then). */
  sendMs: number;
  /** The primary Opus frame; empty for the end-of-talkspurt marker. */
  opus: Uint8Array;
}

export interface SenderOptions {
  frameMs?: 10 | 20 | 40;
  bitrate?: number;
  red?: boolean;
  /** Earlier frames each RED packet carries (default 1). */
  redDepth?: 1 | 2;
  firstSequence?: number;
  firstTimestamp?: number;
}

/**
 * A Parley-like sender built on the real Opus encoder: marker on the first
 * packet of a talkspurt, RTP time following wall time across silences, an
 * empty Opus packet as the end-of-talkspurt marker, and optionally RED
 * copies of the one or two frames before (none on a talkspurt's first packet).
 */
export class TestSender {
  readonly frameSamples: number;
  private readonly encoder: Encoder;
  private sequence: number;
  private readonly firstTimestamp: number;
  readonly frameMs: number;

  constructor(private readonly options: SenderOptions = {}) {
    this.frameMs = options.frameMs ?? 20;
    this.frameSamples = this.frameMs * SAMPLES_PER_MS;
    this.encoder = new Encoder({ channels: 1, sample_rate: 48000, application: 'voip' });
    this.encoder.bitrate = options.bitrate ?? 24_000;
    this.sequence = options.firstSequence ?? 1000;
    this.firstTimestamp = options.firstTimestamp ?? 123_456;
  }

  /** Encodes `pcm` (whole frames) as a talkspurt starting at `startMs`; the end marker follows unless told not to. */
  talkspurt(pcm: Float32Array, startMs: number, endMarker = true): SentPacket[] {
    const frames = Math.floor(pcm.length / this.frameSamples);
    const packets: SentPacket[] = [];
    const baseTs = this.firstTimestamp + Math.round(startMs * SAMPLES_PER_MS);
    const previous: Uint8Array[] = [];
    for (let k = 0; k < frames; k++) {
      const opus = this.encoder.encode(floatToInt16(pcm.subarray(k * this.frameSamples, (k + 1) * this.frameSamples))).slice();
      const copies = this.options.red === true ? previous.slice(-(this.options.redDepth ?? 1)) : [];
      const useRed = copies.length > 0;
      const payload = useRed
        ? encodeRed(
            copies.map((data, i) => ({ payloadType: OPUS_PAYLOAD_TYPE, timestampOffset: (copies.length - i) * this.frameSamples, data })),
            { payloadType: OPUS_PAYLOAD_TYPE, data: opus },
          )
        : opus;
      packets.push({
        sequence: this.nextSequence(),
        timestamp: (baseTs + k * this.frameSamples) >>> 0,
        marker: k === 0,
        payloadType: useRed ? RED_PAYLOAD_TYPE : OPUS_PAYLOAD_TYPE,
        payload: new Uint8Array(payload),
        sendMs: startMs + (k + 1) * this.frameMs,
        opus,
      });
      previous.push(opus);
    }
    if (endMarker) {
      packets.push({
        sequence: this.nextSequence(),
        timestamp: (baseTs + frames * this.frameSamples) >>> 0,
        marker: false,
        payloadType: OPUS_PAYLOAD_TYPE,
        payload: new Uint8Array(0),
        sendMs: startMs + (frames + 1) * this.frameMs,
        opus: new Uint8Array(0),
      });
    }
    return packets;
  }

  private nextSequence(): number {
    const sequence = this.sequence;
    this.sequence = (this.sequence + 1) & 0xffff;
    return sequence;
  }
}


/**
 * Delivers packets with a per-packet network delay; `undefined` drops the
 * packet. Each is given the packet index the session would: its sequence
 * number extended, in arrival order, as MediaChannel.open does.
 */
export function deliver(packets: readonly SentPacket[], delayMs: (packet: SentPacket, index: number) => number | undefined): IncomingPacket[] {
  const arrivals: (IncomingPacket & { sequence: number })[] = [];
  packets.forEach((packet, index) => {
    const delay = delayMs(packet, index);
    if (delay === undefined) return;
    arrivals.push({
      sequence: packet.sequence,
      index: 0,
      timestamp: packet.timestamp,
      marker: packet.marker,
      payloadType: packet.payloadType,
      payload: packet.payload,
      arrivalMs: packet.sendMs + delay,
    });
  });
  let highest = -1;
  for (const { packet } of inArrivalOrder(arrivals)) {
    packet.index = extendSequence(highest, packet.sequence);
    highest = Math.max(highest, packet.index);
  }
  return arrivals;
}

/** Arrival order, ties in the given order: the order a receiver sees them in. */
function inArrivalOrder<T extends { arrivalMs: number }>(packets: readonly T[]): { packet: T; order: number }[] {
  return packets.map((packet, order) => ({ packet, order })).sort((a, b) => a.packet.arrivalMs - b.packet.arrivalMs || a.order - b.order);
}

export interface Receiver {
  insert(packet: IncomingPacket): void;
  pull(nowMs: number): Float32Array;
}

/**
 * Runs the device-paced playout clock: every 10 ms from `fromMs` to `toMs`
 * (exclusive), first inserts what has arrived by then (in arrival order,
 * ties in the given order), then pulls one block. Returns all output.
 */
export function play(receiver: Receiver, arrivals: readonly IncomingPacket[], fromMs: number, toMs: number, onBlock?: (nowMs: number) => void): Float32Array {
  const queue = inArrivalOrder(arrivals);
  const blocks = Math.round((toMs - fromMs) / 10);
  const out = new Float32Array(blocks * 480);
  let next = 0;
  for (let b = 0; b < blocks; b++) {
    const now = fromMs + b * 10;
    while (next < queue.length && queue[next]!.packet.arrivalMs <= now) receiver.insert(queue[next++]!.packet);
    out.set(receiver.pull(now), b * 480);
    onBlock?.(now);
  }
  return out;
}

/** Decodes Opus frames back to back with a fresh decoder: what a lossless, jitter-free receiver plays. */
export async function referenceDecode(frames: readonly Uint8Array[]): Promise<Float32Array> {
  const decoder = new OpusDecoder({ channels: 1, sampleRate: 48000 });
  await decoder.ready;
  const parts = frames.filter((frame) => frame.length > 0).map((frame) => decoder.decodeFrame(frame).channelData[0]!);
  decoder.free();
  return concatSamples(parts);
}

/** Index of the first sample whose magnitude exceeds `threshold`, or -1. */
export function firstAbove(x: Float32Array, threshold = 0): number {
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > threshold) return i;
  return -1;
}

/**
 * The lag (0..maxLag) at which `output` best matches `source`, and the
 * normalised correlation there: a direct search over a few lags, unlike
 * test/audio/helpers/signal.ts's bestAlignment, which tries every lag by FFT
 * and passes over near-silent windows.
 */
export function bestLagUpTo(source: Float32Array, output: Float32Array, maxLag: number): { lag: number; correlation: number } {
  let best = { lag: 0, correlation: -Infinity };
  for (let lag = 0; lag <= maxLag; lag++) {
    const n = Math.min(source.length, output.length - lag);
    let cross = 0;
    let ea = 0;
    let eb = 0;
    for (let i = 0; i < n; i++) {
      const a = source[i]!;
      const b = output[i + lag]!;
      cross += a * b;
      ea += a * a;
      eb += b * b;
    }
    const correlation = ea > 0 && eb > 0 ? cross / Math.sqrt(ea * eb) : 0;
    if (correlation > best.correlation) best = { lag, correlation };
  }
  return best;
}
