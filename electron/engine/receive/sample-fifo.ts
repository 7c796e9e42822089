import { crossfade, fadeInGain, fadeOutGain } from './fades.js';

/** Where samples came from, so what is played can be told apart (talking, concealed share). */
export type Origin = 'decoded' | 'concealed' | 'silence';

export interface Taken {
  decoded: number;
  concealed: number;
}

/**
 * Decoded samples waiting to be played. Opus frames (2.5–120 ms) are cut
 * into the 10 ms blocks the device asks for here; the samples not yet played
 * are also where fades and crossfades are applied.
 */
export class SampleFifo {
  private buffer: Float32Array;
  private start = 0;
  private count = 0;
  /** Runs of consecutive samples of one origin, oldest first. */
  private readonly runs: { origin: Origin; length: number }[] = [];

  constructor(initialCapacity = 16_384) {
    this.buffer = new Float32Array(initialCapacity);
  }

  get length(): number {
    return this.count;
  }

  push(samples: Float32Array, origin: Origin): void {
    this.reserve(samples.length, origin).set(samples);
  }

  pushSilence(n: number): void {
    if (n > 0) this.reserve(n, 'silence').fill(0);
  }

  /** Appends `samples`, crossfading their first `overlap` samples with the last `overlap` held: a seamless splice. */
  pushCrossfaded(samples: Float32Array, overlap: number, origin: Origin): void {
    const n = Math.min(overlap, this.count, samples.length);
    const tailAt = this.start + this.count - n;
    crossfade(this.buffer, tailAt, samples, 0, n, this.buffer, tailAt);
    this.push(samples.subarray(n), origin);
  }

  /** Fades samples `from`..`from + n` (counted from the head) in from silence. */
  fadeInRange(from: number, n: number): void {
    const m = Math.max(0, Math.min(n, this.count - from));
    for (let i = 0; i < m; i++) this.buffer[this.start + from + i]! *= fadeInGain(i, m);
  }

  /** Fades the last `n` held samples out to silence. */
  fadeOutTail(n: number): void {
    const m = Math.min(n, this.count);
    const at = this.start + this.count - m;
    for (let i = 0; i < m; i++) this.buffer[at + i]! *= fadeOutGain(i, m);
  }

  /** Moves `n` samples (n ≤ length) into `out` at `outAt`; says how many were decoded and concealed audio. */
  take(out: Float32Array, outAt: number, n: number): Taken {
    out.set(this.buffer.subarray(this.start, this.start + n), outAt);
    this.start += n;
    this.count -= n;
    if (this.count === 0) this.start = 0;
    const taken: Taken = { decoded: 0, concealed: 0 };
    for (let left = n; left > 0 && this.runs.length > 0; ) {
      const run = this.runs[0]!;
      const used = Math.min(run.length, left);
      if (run.origin !== 'silence') taken[run.origin] += used;
      run.length -= used;
      left -= used;
      if (run.length === 0) this.runs.shift();
    }
    return taken;
  }

  /** Room for `n` more samples at the tail, compacting or growing as needed; returns the view to fill. */
  private reserve(n: number, origin: Origin): Float32Array {
    if (this.start + this.count + n > this.buffer.length) {
      if (this.count + n > this.buffer.length) {
        const grown = new Float32Array(Math.max(this.buffer.length * 2, this.count + n));
        grown.set(this.buffer.subarray(this.start, this.start + this.count));
        this.buffer = grown;
      } else {
        this.buffer.copyWithin(0, this.start, this.start + this.count);
      }
      this.start = 0;
    }
    const view = this.buffer.subarray(this.start + this.count, this.start + this.count + n);
    this.count += n;
    const last = this.runs[this.runs.length - 1];
    if (last && last.origin === origin) last.length += n;
    else if (n > 0) this.runs.push({ origin, length: n });
    return view;
  }
}
