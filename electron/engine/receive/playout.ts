import { BLOCK_SAMPLES, SAMPLES_PER_MS } from '../audio-format.js';
import { applyConcealmentEnvelope } from './conceal-envelope.js';
import { DecisionLogic, type Operation, type PlayoutQueries, type Situation, type TimeAdjust } from './decision-logic.js';
import type { OpusFrameDecoder } from './opus-frame-decoder.js';
import { PacketBuffer, type BufferedFrame } from './packet-buffer.js';
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

/** When talkspurts may start and how much to hold: the delay manager's answers. */
export interface PlayoutSchedule {
  targetSamples(): number;
  /** A frame with media time t is due to play at t + this (arrival-clock ms); undefined before any packet. */
  playoutTransitMs(): number | undefined;
  maxDelaySamples: number;
}

export interface PlayoutCounters {
  decodedFromPrimary: number;
  recoveredByRed: number;
  lost: number;
  discarded: number;
  decodeErrors: number;
  /** Output samples of decoded audio and of concealment, counted as played. */
  decodedSamplesPlayed: number;
  concealedSamplesPlayed: number;
  timeCompressedSamples: number;
  timeStretchedSamples: number;
}

export type OfferOutcome = 'accepted' | 'late' | 'duplicate' | 'known';

/**
 * The per-peer jitter buffer and playout: holds encoded frames by timestamp,
 * and each playout step asks the DecisionLogic what to do, then does it
 * (decode, use a RED copy, conceal, compress time, fade, restart).
 */
export class Playout {
  readonly counters: PlayoutCounters = {
    decodedFromPrimary: 0,
    recoveredByRed: 0,
    lost: 0,
    discarded: 0,
    decodeErrors: 0,
    decodedSamplesPlayed: 0,
    concealedSamplesPlayed: 0,
    timeCompressedSamples: 0,
    timeStretchedSamples: 0,
  };
  private readonly buffer = new PacketBuffer(BUFFER_CAPACITY);
  private readonly logic = new DecisionLogic();
  private readonly fifo = new SampleFifo();
  private playing = false;
  /** Extended timestamp of the next frame to play; undefined before anything played. */
  private nextTs: number | undefined;
  /** Sequence number of the last frame played or given up. */
  private lastSeq: number | undefined;
  private lastFrameSamples = 0;
  private gapConcealed = 0;
  private concealRun = 0;
  private endMarker: { seq: number; ts: number } | undefined;
  private lastBlockDecoded = 0;
  private lastLevelSamples = 0;
  private readonly queries: PlayoutQueries = {
    startDue: (frame, nowMs) => this.startDue(frame, nowMs),
    startsTalkspurt: (frame) => this.startsTalkspurt(frame),
    catchUpFrame: () => {
      const newestEnd = this.buffer.newestEnd;
      return newestEnd === undefined ? undefined : this.buffer.firstFrom(newestEnd - this.schedule.targetSamples());
    },
  };

  constructor(
    private readonly decoder: OpusFrameDecoder,
    private readonly schedule: PlayoutSchedule,
  ) {}

  /** Offers one frame (an original or a RED copy) for playout. */
  offer(frame: BufferedFrame): OfferOutcome {
    if (this.nextTs !== undefined && frame.ts < this.nextTs) return frame.source === 'primary' ? 'late' : 'known';
    const before = this.buffer.overflowDropped;
    const outcome = this.buffer.insert(frame);
    this.counters.discarded += this.buffer.overflowDropped - before;
    if (outcome === 'duplicate') return 'duplicate';
    return outcome === 'redundantKnown' ? 'known' : 'accepted';
  }

  /** The sender's explicit end of talkspurt, with its sequence number and timestamp (extended). */
  offerEndMarker(seq: number, ts: number): void {
    if (this.lastSeq !== undefined && seq <= this.lastSeq) return;
    this.endMarker = { seq, ts };
  }

  /** The sender restarted its sequence numbers and timestamps: forget the old timeline, fading out anything playing. */
  restartTimeline(): void {
    this.counters.discarded += this.buffer.dropBefore(Infinity).length;
    if (this.playing) this.fifo.fadeOutTail(SPLICE_SAMPLES);
    this.stop();
    this.nextTs = undefined;
    this.lastSeq = undefined;
    this.endMarker = undefined;
  }

  /** Fills `out` with the next BLOCK_SAMPLES samples of this peer's audio. */
  render(nowMs: number, out: Float32Array): void {
    for (let steps = 0; steps < MAX_STEPS_PER_BLOCK; steps++) {
      const needed = BLOCK_SAMPLES + (this.playing ? SPLICE_SAMPLES : 0);
      if (this.fifo.length >= needed) break;
      this.step(nowMs);
    }
    this.fifo.pushSilence(BLOCK_SAMPLES - this.fifo.length);
    const taken = this.fifo.take(out, 0, BLOCK_SAMPLES);
    this.counters.decodedSamplesPlayed += taken.decoded;
    this.counters.concealedSamplesPlayed += taken.concealed;
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

  private step(nowMs: number): void {
    const op = this.logic.decide(this.situation(nowMs), this.queries);
    this.execute(op);
  }

  private execute(op: Operation): void {
    switch (op.kind) {
      case 'silence':
        this.fifo.pushSilence(BLOCK_SAMPLES - this.fifo.length);
        return;
      case 'start':
        this.begin(op.frame, true);
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
        this.play(op.frame, undefined, true);
        return;
      case 'conceal':
        this.conceal();
        return;
      case 'fadedOut':
        this.stop();
        return;
      case 'end':
        this.finishAtEndMarker();
        return;
    }
  }

  private situation(nowMs: number): Situation {
    const due = this.playing ? this.buffer.at(this.nextTs!) : this.buffer.earliest;
    const following = this.playing && !due ? this.buffer.firstAfter(this.nextTs!) : undefined;
    return {
      nowMs,
      playing: this.playing,
      due,
      following,
      dueTs: this.nextTs ?? 0,
      endReached: this.playing && this.endMarker !== undefined && this.endMarker.ts <= this.nextTs! + this.gapConcealed,
      gapConcealedSamples: this.gapConcealed,
      concealRunSamples: this.concealRun,
      levelSamples: this.levelSamples(),
      maxDelaySamples: this.schedule.maxDelaySamples,
      delayErrorMs: this.playing ? this.delayErrorMs(this.nextTs!, nowMs) : 0,
    };
  }

  /** Decoded samples in hand plus the span of frames buffered ahead of the playout point. */
  private levelSamples(): number {
    const newestEnd = this.buffer.newestEnd;
    const from = this.playing ? this.nextTs! : this.buffer.earliest?.ts;
    const span = newestEnd === undefined || from === undefined ? 0 : Math.max(0, newestEnd - from);
    return this.fifo.length + span;
  }

  /**
   * A talkspurt's first frame plays when the schedule says it is due:
   * anchored to how packets have been arriving, not to when this one
   * happened to.
   */
  private startDue(frame: BufferedFrame, nowMs: number): boolean {
    const transit = this.schedule.playoutTransitMs();
    return transit === undefined || nowMs >= frame.ts / SAMPLES_PER_MS + transit;
  }

  /**
   * How much later than scheduled the frame due at `ts` will play, once the
   * samples already in hand have played.
   */
  private delayErrorMs(ts: number, nowMs: number): number {
    const transit = this.schedule.playoutTransitMs();
    if (transit === undefined) return 0;
    const playsAtMs = nowMs + this.fifo.length / SAMPLES_PER_MS;
    return playsAtMs - (ts / SAMPLES_PER_MS + transit);
  }

  /** The RTP marker, or a timestamp leap larger than the frames missing in between explain. */
  private startsTalkspurt(frame: BufferedFrame): boolean {
    if (frame.marker) return true;
    if (this.lastSeq === undefined || this.nextTs === undefined) return false;
    const missing = Math.max(0, frame.seq - this.lastSeq - 1);
    const expectedTs = this.nextTs + missing * this.lastFrameSamples;
    return frame.ts > expectedTs + this.lastFrameSamples;
  }

  private begin(frame: BufferedFrame, fromSilence: boolean): void {
    this.logic.onTalkspurtStart();
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
    this.counters.discarded += skipped.length;
    if (this.lastSeq !== undefined) this.counters.lost += Math.max(0, frame.seq - this.lastSeq - 1 - skipped.length);
    this.buffer.remove(frame);
    let pcm = this.decoder.decode(frame.payload, frame.info);
    if (pcm) {
      if (frame.source === 'red') this.counters.recoveredByRed++;
      else this.counters.decodedFromPrimary++;
      if (adjust) pcm = this.adjust(pcm, adjust);
      const start = this.fifo.length;
      if (splice) this.fifo.pushCrossfaded(pcm, SPLICE_SAMPLES, 'decoded');
      else this.fifo.push(pcm, 'decoded');
      if (fadeIn) this.fifo.fadeInRange(start, SPLICE_SAMPLES);
      this.concealRun = 0;
    } else {
      // Framing was valid but libopus refused it: treat the frame as lost.
      this.counters.decodeErrors++;
      this.counters.lost++;
      this.concealFor(frame.samples);
    }
    this.lastSeq = frame.seq;
    this.lastFrameSamples = frame.samples;
    this.nextTs = frame.ts + frame.samples;
    this.gapConcealed = 0;
    // Frames overlapping what was just played (mixed frame sizes, odd RED offsets) can no longer play.
    this.counters.discarded += this.buffer.dropBefore(this.nextTs).length;
  }

  private adjust(pcm: Float32Array, adjust: TimeAdjust): Float32Array {
    const out = adjustFrame(pcm, adjust, SPLICE_SAMPLES);
    const change = out.length - pcm.length;
    if (change < 0) this.counters.timeCompressedSamples -= change;
    if (change > 0) this.counters.timeStretchedSamples += change;
    if (change !== 0) this.logic.onTimeAdjusted(change);
    return out;
  }

  private conceal(): void {
    this.gapConcealed += this.concealFor(this.decoder.concealSamples ?? BLOCK_SAMPLES);
  }

  /** Conceals at least `samples` samples (whole concealment frames); returns how many. */
  private concealFor(samples: number): number {
    let produced = 0;
    while (produced < samples) {
      const unit = this.decoder.concealSamples ?? BLOCK_SAMPLES;
      const pcm = this.decoder.conceal() ?? new Float32Array(unit);
      applyConcealmentEnvelope(pcm, this.concealRun);
      this.fifo.push(pcm, 'concealed');
      this.concealRun += pcm.length;
      produced += pcm.length;
    }
    return produced;
  }

  /** Concealment faded out: the talkspurt is over; the next frame to arrive starts a new one. */
  private stop(): void {
    this.playing = false;
    this.gapConcealed = 0;
    this.concealRun = 0;
  }

  private finishAtEndMarker(): void {
    const marker = this.endMarker!;
    if (this.lastSeq !== undefined) this.counters.lost += Math.max(0, marker.seq - this.lastSeq - 1);
    this.lastSeq = marker.seq;
    this.endMarker = undefined;
    this.fifo.fadeOutTail(SPLICE_SAMPLES);
    this.stop();
  }
}
