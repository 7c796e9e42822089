import { BLOCK_SAMPLES } from '../audio-format.js';
import { PeakLimiter, type PeakLimiterOptions } from './peak-limiter.js';

/**
 * Sums the peers' 10 ms blocks into one and limits the sum, so however many
 * people talk at once the output stays below full scale and never clips or
 * wraps at the int16 conversion. Allocates nothing per block: the returned
 * block is the mixer's own, valid until the next call.
 */
export class Mixer {
  private readonly output = new Float32Array(BLOCK_SAMPLES);
  private readonly limiter: PeakLimiter;

  constructor(limiter: PeakLimiterOptions = {}) {
    this.limiter = new PeakLimiter(limiter);
  }

  /** Samples the output lags the inputs by (the limiter's look-ahead). */
  get latencySamples(): number {
    return this.limiter.latencySamples;
  }

  get gainReductionDb(): number {
    return this.limiter.gainReductionDb;
  }

  /** Output samples the limiter's safety clamp touched; stays 0 unless something is wrong. */
  get clampedSamples(): number {
    return this.limiter.clampedSamples;
  }

  /** Mixes any number of blocks (none gives silence, still limited so the look-ahead drains). */
  mix(inputs: readonly Float32Array[]): Float32Array {
    for (let k = 0; k < inputs.length; k++) {
      if (inputs[k]!.length !== BLOCK_SAMPLES) {
        throw new RangeError(`mixer input ${k} holds ${inputs[k]!.length} samples; every block holds ${BLOCK_SAMPLES}`);
      }
    }
    const output = this.output;
    if (inputs.length === 0) output.fill(0);
    else output.set(inputs[0]!);
    for (let k = 1; k < inputs.length; k++) {
      const input = inputs[k]!;
      for (let i = 0; i < BLOCK_SAMPLES; i++) output[i] = output[i]! + input[i]!;
    }
    this.limiter.process(output);
    return output;
  }

  reset(): void {
    this.limiter.reset();
  }
}
