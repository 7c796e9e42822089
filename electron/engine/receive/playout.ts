import { BLOCK_SAMPLES, SAMPLES_PER_MS } from '../audio-format.js';
import { Concealment } from './concealment.js';
import type { Operation, TimeAdjust } from './decision-logic.js';
import type { OpusFrameDecoder } from './opus-frame-decoder.js';
import { PacketBuffer, type BufferedFrame } from './packet-buffer.js';
import type { BufferStatus, PlayoutController } from './playout-controller.js';
import type { ReceiveStatistics } from './receive-stats.js';
import { SampleFifo } from './sample-fifo.js';
import { adjustFrame } from './time-adjust.js';

/**
 * Decoded audio kept in hand beyond the block being played (2.5 ms): every
 * stop, start and jump is faded or crossfaded over it, so none clicks.
 */
export const SPLICE_SAMPLES = 2.5 * SAMPLES_PER_MS;
/** Most frames held: 256 covers the maximum delay even at 2.5 ms frames. */
const BUFFER_CAPACITY = 256;
/** A playout step that produces nothing this many times in a row is a bug; the block is then padded with silence. */
const MAX_STEPS_PER_BLOCK = 64;

export type OfferOutcome = 'accepted' | 'late' | 'duplicate' | 'known';

/**
 * The per-peer jitter buffer and playout: holds encoded frames by timestamp,
 * and at each playout step tells the controller what it holds, then carries
 * out the controller's decision (decode, use a RED copy, conceal, compress or
 * stretch time, fade, restart). It decides nothing itself.
 */
export class Playout {
  private readonly buffer = new PacketBuffer(BUFFER_CAPACITY);
  private readonly fifo = new SampleFifo();
  private readonly concealment: Concealment;
  private playing = false;
  /** Extended timestamp of the next frame to play; undefined before anything played. */
  private nextTs: number | undefined;
  /** The last frame played or given up. */
  private last: { seq: number; samples: number } | undefined;
  private gapConcealed = 0;
  private endMarker: { seq: number; ts: number } | undefined;
  private lastBlockDecoded = 0;
  private lastLevelSamples = 0;

  constructor(
    private readonly decoder: OpusFrameDecoder,
    private readonly controller: PlayoutController,
    private readonly stats: ReceiveStatistics,
  ) {
    this.concealment = new Concealment(decoder);
  }

  /** Offers one frame (an original or a RED copy) for playout; an original too late to play counts as late. */
  offer(frame: BufferedFrame): OfferOutcome {
    if (this.nextTs !== undefined && frame.ts < this.nextTs) {
      if (frame.source === 'red') return 'known';
      this.stats.late++;
      return 'late';
    }
    const before = this.buffer.overflowDropped;
    const outcome = this.buffer.insert(frame);
    this.stats.discarded += this.buffer.overflowDropped - before;
    if (outcome === 'duplicate') return 'duplicate';
    return outcome === 'redundantKnown' ? 'known' : 'accepted';
  }

  /** The sender's explicit end of talkspurt, with its packet index and timestamp (extended). */
  offerEndMarker(seq: number, ts: number): void {
    if (this.last !== undefined && seq <= this.last.seq) return;
    this.endMarker = { seq, ts };
  }

  /** The sender restarted its sequence numbers and timestamps: forget the old timeline, fading out anything playing. */
  restartTimeline(): void {
    this.stats.discarded += this.buffer.dropBefore(Infinity).length;
    if (this.playing) this.fifo.fadeOutTail(SPLICE_SAMPLES);
    this.stop();
    this.nextTs = undefined;
    this.last = undefined;
    this.endMarker = undefined;
  }

  /** Fills `out` with the next BLOCK_SAMPLES samples of this peer's audio. */
  render(nowMs: number, out: Float32Array): void {
    for (let steps = 0; steps < MAX_STEPS_PER_BLOCK; steps++) {
      const needed = BLOCK_SAMPLES + (this.playing ? SPLICE_SAMPLES : 0);
      if (this.fifo.length >= needed) break;
      this.execute(this.controller.decide(this.status(nowMs)));
    }
    this.fifo.pushSilence(BLOCK_SAMPLES - this.fifo.length);
    const taken = this.fifo.take(out, 0, BLOCK_SAMPLES);
    this.stats.decodedSamplesPlayed += taken.decoded;
    this.stats.concealedSamplesPlayed += taken.concealed;
    this.lastBlockDecoded = taken.decoded;
    this.lastLevelSamples = this.levelSamples();
  }

  /** Whether the last block held decoded audio (not concealment, not silence). */
  get talking(): boolean {
    return this.lastBlockDecoded > 0;
  }

  /** Audio held beyond the block just played, in samples. */
  get bufferedSamples(): number {
    return this.lastLevelSamples;
  }

  get bufferedFrames(): number {
    return this.buffer.size;
  }

  private execute(op: Operation): void {
    switch (op.kind) {
      case 'silence':
        this.fifo.pushSilence(BLOCK_SAMPLES - this.fifo.length);
        return;
      case 'start':
        this.begin(this.buffer.firstFrom(op.fromTs)!, true);
        return;
      case 'restart':
        this.begin(op.frame, false);
        return;
      case 'decode':
        this.play(op.frame, op.adjust, false);
        return;
      case 'skipTo':
        this.play(op.frame, undefined, false);
        return;
      case 'catchUp':
        this.play(this.buffer.firstFrom(op.fromTs)!, undefined, true);
        return;
      case 'conceal':
        this.gapConcealed += this.concealment.fill(this.fifo, this.concealment.stepSamples);
        return;
      case 'fadedOut':
        this.stop();
        return;
      case 'end':
        this.finishAtEndMarker();
        return;
    }
  }

  private status(nowMs: number): BufferStatus {
    const due = this.playing ? this.buffer.at(this.nextTs!) : this.buffer.earliest;
    const newestEnd = this.buffer.newestEnd;
    return {
      nowMs,
      playing: this.playing,
      due,
      following: this.playing && !due ? this.buffer.firstAfter(this.nextTs!) : undefined,
      dueTs: this.nextTs ?? 0,
      last: this.last,
      endReached: this.playing && this.endMarker !== undefined && this.endMarker.ts <= this.nextTs! + this.gapConcealed,
      gapConcealedSamples: this.gapConcealed,
      concealRunSamples: this.concealment.runSamples,
      heldSamples: this.fifo.length,
      levelSamples: this.levelSamples(),
      newest: newestEnd === undefined ? undefined : { ts: this.buffer.newest!.ts, end: newestEnd },
    };
  }

  /** Decoded samples in hand plus the span of frames buffered ahead of the playout point. */
  private levelSamples(): number {
    const newestEnd = this.buffer.newestEnd;
    const from = this.playing ? this.nextTs! : this.buffer.earliest?.ts;
    const span = newestEnd === undefined || from === undefined ? 0 : Math.max(0, newestEnd - from);
    return this.fifo.length + span;
  }

  private begin(frame: BufferedFrame, fromSilence: boolean): void {
    if (this.endMarker && this.endMarker.seq < frame.seq) this.endMarker = undefined;
    this.playing = true;
    if (fromSilence) {
      // Lead-in: the splice reserve, so this talkspurt's decisions fall on frame boundaries.
      this.fifo.pushSilence(SPLICE_SAMPLES - this.fifo.length);
    }
    this.play(frame, undefined, false, fromSilence);
  }

  private play(frame: BufferedFrame, adjust: TimeAdjust | undefined, splice: boolean, fadeIn = false): void {
    const skipped = this.buffer.dropBefore(frame.ts);
    this.stats.discarded += skipped.length;
    if (this.last !== undefined) this.stats.lost += Math.max(0, frame.seq - this.last.seq - 1 - skipped.length);
    this.buffer.remove(frame);
    let pcm = this.decoder.decode(frame.payload, frame.info);
    if (pcm) {
      if (frame.source === 'red') this.stats.recoveredByRed++;
      else this.stats.decodedFromPrimary++;
      if (adjust) pcm = this.adjust(pcm, adjust);
      const start = this.fifo.length;
      if (splice) this.fifo.pushCrossfaded(pcm, SPLICE_SAMPLES, 'decoded');
      else this.fifo.push(pcm, 'decoded');
      if (fadeIn) this.fifo.fadeInRange(start, SPLICE_SAMPLES);
      this.concealment.endRun();
    } else {
      // Framing was valid but libopus refused it: treat the frame as lost.
      this.stats.decodeErrors++;
      this.stats.lost++;
      this.concealment.fill(this.fifo, frame.samples);
    }
    this.last = { seq: frame.seq, samples: frame.samples };
    this.nextTs = frame.ts + frame.samples;
    this.gapConcealed = 0;
    // Frames overlapping what was just played (mixed frame sizes, odd RED offsets) can no longer play.
    this.stats.discarded += this.buffer.dropBefore(this.nextTs).length;
  }

  private adjust(pcm: Float32Array, adjust: TimeAdjust): Float32Array {
    const out = adjustFrame(pcm, adjust, SPLICE_SAMPLES);
    const change = out.length - pcm.length;
    if (change < 0) this.stats.timeCompressedSamples -= change;
    if (change > 0) this.stats.timeStretchedSamples += change;
    if (change !== 0) this.controller.timeAdjusted(change);
    return out;
  }

  /** Concealment faded out: the talkspurt is over; the next frame to arrive starts a new one. */
  private stop(): void {
    this.playing = false;
    this.gapConcealed = 0;
    this.concealment.endRun();
  }

  private finishAtEndMarker(): void {
    const marker = this.endMarker!;
    if (this.last !== undefined) this.stats.lost += Math.max(0, marker.seq - this.last.seq - 1);
    this.last = { seq: marker.seq, samples: this.last?.samples ?? 0 };
    this.endMarker = undefined;
    this.fifo.fadeOutTail(SPLICE_SAMPLES);
    this.stop();
  }
}
