import { SAMPLE_RATE } from '../audio-format.js';

/** Below this the filter state is flushed to zero: decaying into subnormal floats makes every multiply slow. */
const SUBNORMAL_GUARD = 1e-25;

/**
 * A second-order IIR section in transposed direct form II, which keeps its
 * state in double precision and stays well behaved at low cutoffs where the
 * poles sit close to the unit circle.
 */
export class Biquad {
  private z1 = 0;
  private z2 = 0;

  private constructor(
    private readonly b0: number,
    private readonly b1: number,
    private readonly b2: number,
    private readonly a1: number,
    private readonly a2: number,
  ) {}

  /**
   * Butterworth (Q = 1/√2) high-pass by the bilinear transform with the
   * cutoff pre-warped, so the −3 dB point lands exactly on `cutoffHz`.
   */
  static highPass(cutoffHz: number, sampleRate = SAMPLE_RATE): Biquad {
    if (!(cutoffHz > 0 && cutoffHz < sampleRate / 2)) {
      throw new RangeError(`high-pass cutoff ${cutoffHz} Hz must lie between 0 and ${sampleRate / 2} Hz`);
    }
    const w0 = (2 * Math.PI * cutoffHz) / sampleRate;
    const cos = Math.cos(w0);
    const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
    const a0 = 1 + alpha;
    const b0 = (1 + cos) / 2 / a0;
    return new Biquad(b0, -2 * b0, b0, (-2 * cos) / a0, (1 - alpha) / a0);
  }

  /** Filters `input` into `output`; the two may be the same array. */
  process(input: Float32Array, output: Float32Array = input): void {
    const { b0, b1, b2, a1, a2 } = this;
    let z1 = this.z1;
    let z2 = this.z2;
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      output[i] = y;
    }
    this.z1 = Math.abs(z1) < SUBNORMAL_GUARD ? 0 : z1;
    this.z2 = Math.abs(z2) < SUBNORMAL_GUARD ? 0 : z2;
  }

  reset(): void {
    this.z1 = 0;
    this.z2 = 0;
  }
}
