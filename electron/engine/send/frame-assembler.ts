import { BLOCK_MS, BLOCK_SAMPLES, floatToInt16, FRAME_SIZES_MS, samplesFor, type FrameMs } from '../audio-format.js';

const LONGEST_FRAME_SAMPLES = samplesFor(Math.max(...FRAME_SIZES_MS));
/** Fade applied where a cut-short frame's audio meets the silence that completes it. */
const CUT_FADE_SAMPLES = samplesFor(2.5);

export function checkFrameMs(frameMs: number): asserts frameMs is FrameMs {
  if (!(FRAME_SIZES_MS as readonly number[]).includes(frameMs)) {
    throw new RangeError(`frame size ${frameMs} ms is not one of ${FRAME_SIZES_MS.join(', ')}`);
  }
}

/**
 * Collects 10 ms blocks into one Opus frame of 10, 20 or 40 ms, converting to
 * the int16 the encoder takes, and remembers where on the capture timeline
 * (in samples) the frame starts: that becomes its RTP timestamp.
 */
export class FrameAssembler {
  private readonly buffer = new Int16Array(LONGEST_FRAME_SAMPLES);
  private readonly slots: Int16Array<ArrayBuffer>[] = [];
  private frame!: Int16Array;
  private size!: FrameMs;
  private filled = 0;
  /** Capture-timeline sample index of the frame being filled (or of the next one, when empty). */
  private frameStart = 0;
  /** Sample index of the frame most recently returned: its RTP timestamp. */
  completedFrameStart = 0;

  constructor(frameMs: FrameMs) {
    for (let at = 0; at < LONGEST_FRAME_SAMPLES; at += BLOCK_SAMPLES) this.slots.push(this.buffer.subarray(at, at + BLOCK_SAMPLES));
    this.frameMs = frameMs;
  }

  get frameMs(): FrameMs {
    return this.size;
  }

  /** Only between frames: a frame is never half one size and half another. */
  set frameMs(frameMs: FrameMs) {
    checkFrameMs(frameMs);
    if (this.filled > 0) throw new Error('frame size can only change between frames');
    this.size = frameMs;
    this.frame = this.buffer.subarray(0, samplesFor(frameMs));
  }

  get frameSamples(): number {
    return this.frame.length;
  }

  get pendingBlocks(): number {
    return this.filled;
  }

  /** Sample index where the frame after the current one begins. */
  get nextFrameStart(): number {
    return this.filled === 0 ? this.frameStart : this.frameStart + this.frameSamples;
  }

  /** Starts empty at `sampleIndex`, dropping anything pending. */
  restartAt(sampleIndex: number): void {
    this.filled = 0;
    this.frameStart = sampleIndex;
  }

  /**
   * Adds the block captured at `sampleIndex` (which must follow on from the
   * previous one) and returns the frame when it is complete. The returned
   * array is reused: encode it before the next call.
   */
  add(block: Float32Array, sampleIndex: number): Int16Array | undefined {
    if (block.length !== BLOCK_SAMPLES) throw new RangeError(`a block holds ${BLOCK_SAMPLES} samples, not ${block.length}`);
    if (this.filled === 0) this.frameStart = sampleIndex;
    else if (sampleIndex !== this.frameStart + this.filled * BLOCK_SAMPLES) {
      throw new RangeError(`block at sample ${sampleIndex} does not follow on from the frame being assembled`);
    }
    floatToInt16(block, this.slots[this.filled]!);
    this.filled++;
    return this.filled * BLOCK_MS === this.size ? this.complete() : undefined;
  }

  /**
   * Completes a part-filled frame with silence, fading the last 2.5 ms of
   * audio so the cut does not click. Undefined when nothing is pending.
   */
  finishWithSilence(): Int16Array | undefined {
    if (this.filled === 0) return undefined;
    const audioEnd = this.filled * BLOCK_SAMPLES;
    for (let i = 0; i < CUT_FADE_SAMPLES; i++) {
      const at = audioEnd - CUT_FADE_SAMPLES + i;
      this.frame[at] = Math.round(this.frame[at]! * (1 - (i + 1) / CUT_FADE_SAMPLES));
    }
    this.frame.fill(0, audioEnd);
    return this.complete();
  }

  private complete(): Int16Array {
    this.filled = 0;
    this.completedFrameStart = this.frameStart;
    this.frameStart += this.frame.length;
    return this.frame;
  }
}
