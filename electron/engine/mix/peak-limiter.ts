import { SAMPLE_RATE, samplesFor } from '../audio-format.js';
import { amplitudeToDb, dbToGain } from '../dsp/decibels.js';
import { SlidingMinimum } from '../dsp/sliding-minimum.js';

export interface PeakLimiterOptions {
  /** Highest output peak, dBFS. Default −0.3: clear of the int16 converter's clip point (32767/32768). */
  ceilingDb?: number;
  /** Look-ahead, which is also the attack ramp and the added latency. Default 1.5 ms. */
  lookaheadMs?: number;
  /** Time constant of gain recovery. Default 60 ms. */
  releaseMs?: number;
}

export const PEAK_LIMITER_DEFAULTS: Required<PeakLimiterOptions> = { ceilingDb: -0.3, lookaheadMs: 1.5, releaseMs: 60 };

/**
 * A look-ahead brick-wall limiter. For each sample it needs the gain that
 * would bring it to the ceiling; the minimum of that over the look-ahead
 * window, averaged over the same window, reaches each peak's gain exactly
 * when the (delayed) peak is played, so the output cannot overshoot, and the
 * gain moves in straight ramps rather than steps (no clicks). Recovery is
 * exponential. A final clamp catches rounding; `clampedSamples` counts it and
 * stays zero in practice.
 */
export class PeakLimiter {
  readonly ceiling: number;
  /** What the gain aims at: a hair under the ceiling, so double-precision rounding and float32 storage stay under it too. */
  private readonly target: number;
  /** Delay the limiter adds, in samples. */
  readonly latencySamples: number;
  /** Output samples the safety clamp had to touch (expected to stay 0). */
  clampedSamples = 0;
  private readonly window: number;
  private readonly releaseCoefficient: number;
  private readonly minimum: SlidingMinimum;
  private readonly gains: Float64Array;
  private readonly delay: Float32Array;
  private at = 0;
  /** Samples processed since the last reset: the sliding minimum's positions. */
  private position = 0;
  private released = 1;
  private currentGain = 1;

  constructor(options: PeakLimiterOptions = {}) {
    const { ceilingDb, lookaheadMs, releaseMs } = { ...PEAK_LIMITER_DEFAULTS, ...options };
    if (!(ceilingDb <= 0 && ceilingDb > -40)) throw new RangeError(`limiter ceiling ${ceilingDb} dBFS must lie in (−40, 0]`);
    if (!(lookaheadMs >= 0.1 && lookaheadMs <= 10)) throw new RangeError(`limiter look-ahead ${lookaheadMs} ms must lie in [0.1, 10]`);
    if (!(releaseMs >= 1 && releaseMs <= 2000)) throw new RangeError(`limiter release ${releaseMs} ms must lie in [1, 2000]`);
    this.ceiling = dbToGain(ceilingDb);
    this.target = this.ceiling * (1 - 1e-6);
    this.window = Math.max(2, samplesFor(lookaheadMs));
    this.latencySamples = this.window - 1;
    this.releaseCoefficient = 1 - Math.exp(-1000 / (releaseMs * SAMPLE_RATE));
    // The window holds the last `window` samples: the oldest is window − 1 positions back.
    this.minimum = new SlidingMinimum(this.window - 1, this.window);
    this.gains = new Float64Array(this.window).fill(1);
    this.delay = new Float32Array(this.window);
  }

  /** Limits `block` in place; the output lags the input by `latencySamples`. */
  process(block: Float32Array): void {
    const { window, ceiling, target, gains, delay, releaseCoefficient } = this;
    // Re-add from scratch once a block so rounding in the running sum cannot drift.
    let sum = 0;
    for (let i = 0; i < window; i++) sum += gains[i]!;
    let at = this.at;
    let released = this.released;
    let gain = this.currentGain;
    let position = this.position;
    for (let i = 0; i < block.length; i++) {
      let x = block[i]!;
      // NaN or infinity (a broken decoder upstream) would poison the gain state for good: treat it as silence.
      if (!(x > -1e6 && x < 1e6)) x = 0;
      const magnitude = x < 0 ? -x : x;
      const needed = magnitude > target ? target / magnitude : 1;
      const held = this.minimum.push(position++, needed);
      released = held <= released ? held : released + (held - released) * releaseCoefficient;
      sum += released - gains[at]!;
      gains[at] = released;
      delay[at] = x;
      at = at + 1 === window ? 0 : at + 1;
      // The next slot holds the sample pushed window−1 samples ago: the one every gain in the window was shaped for.
      const delayed = delay[at]!;
      gain = sum / window;
      let y = delayed * gain;
      if (y > ceiling || y < -ceiling) {
        y = y > 0 ? ceiling : -ceiling;
        this.clampedSamples++;
      }
      block[i] = y;
    }
    this.at = at;
    this.position = position;
    this.released = released;
    this.currentGain = gain;
  }

  /** Present gain reduction in dB (0 when idle), for a meter. */
  get gainReductionDb(): number {
    return this.currentGain >= 1 ? 0 : -amplitudeToDb(this.currentGain);
  }

  reset(): void {
    this.minimum.reset();
    this.gains.fill(1);
    this.delay.fill(0);
    this.at = 0;
    this.position = 0;
    this.released = 1;
    this.currentGain = 1;
  }
}
