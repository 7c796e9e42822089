import { PeakLimiter } from '../mix/peak-limiter.js';
import { Biquad } from './biquad.js';
import { dbToGain } from '../dsp/decibels.js';

/** Rumble, handling noise and DC sit below this; a low male voice's fundamental (~85 Hz) is only just touched. */
export const HIGH_PASS_HZ = 80;

export const INPUT_GAIN_RANGE_DB = { min: -30, max: 30 } as const;

/**
 * What the microphone signal goes through before anything judges or encodes
 * it: non-finite samples replaced by silence (one NaN would otherwise poison
 * the filter state for good), a high-pass filter, the user's input gain
 * (ramped across a block when it changes, so a slider never clicks), and a
 * limiter so boosted input is never hard-clipped at the int16 conversion.
 */
export class CaptureConditioner {
  /** Non-finite samples replaced with zero since construction: a sign of a broken device or driver. */
  sanitizedSamples = 0;
  private readonly highPass = Biquad.highPass(HIGH_PASS_HZ);
  private readonly limiter = new PeakLimiter();
  private gain: number;
  private targetGain: number;

  constructor(inputGainDb = 0) {
    this.gain = this.targetGain = CaptureConditioner.gainFor(inputGainDb);
  }

  static gainFor(inputGainDb: number): number {
    if (!(inputGainDb >= INPUT_GAIN_RANGE_DB.min && inputGainDb <= INPUT_GAIN_RANGE_DB.max)) {
      throw new RangeError(`input gain ${inputGainDb} dB must lie in [${INPUT_GAIN_RANGE_DB.min}, ${INPUT_GAIN_RANGE_DB.max}]`);
    }
    return dbToGain(inputGainDb);
  }

  setGainDb(inputGainDb: number): void {
    this.targetGain = CaptureConditioner.gainFor(inputGainDb);
  }

  /** Samples by which the output lags the input (the limiter's look-ahead). */
  get latencySamples(): number {
    return this.limiter.latencySamples;
  }

  /** Conditions `input` into `output` (same length); `input` is left untouched. */
  process(input: Float32Array, output: Float32Array): void {
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      // NaN fails both comparisons; ±Infinity fails one.
      if (x > -1e6 && x < 1e6) output[i] = x;
      else {
        output[i] = 0;
        this.sanitizedSamples++;
      }
    }
    this.highPass.process(output);
    this.applyGain(output);
    this.limiter.process(output);
  }

  private applyGain(block: Float32Array): void {
    const from = this.gain;
    const to = this.targetGain;
    if (from === to) {
      if (to !== 1) for (let i = 0; i < block.length; i++) block[i] = block[i]! * to;
      return;
    }
    const step = (to - from) / block.length;
    for (let i = 0; i < block.length; i++) block[i] = block[i]! * (from + step * (i + 1));
    this.gain = to;
  }
}
