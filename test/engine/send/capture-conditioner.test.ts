import { describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES } from '../../../electron/engine/audio-format.js';
import { Biquad } from '../../../electron/engine/send/biquad.js';
import { CaptureConditioner, HIGH_PASS_HZ } from '../../../electron/engine/send/capture-conditioner.js';
import { blocksOf, concatSamples, db, rms, sine } from '../../support/signals.js';

/** Steady-state gain of the conditioner at one frequency, measured on the last second of two. */
function measuredGainDb(frequencyHz: number, conditioner = new CaptureConditioner()): number {
  // Quiet enough that +6 dB of gain stays clear of the limiter.
  const input = sine(frequencyHz, 2, 0.25);
  const output = concatSamples(
    blocksOf(input).map((block) => {
      const out = new Float32Array(BLOCK_SAMPLES);
      conditioner.process(block, out);
      return out;
    }),
  );
  return db(rms(output, 48_000, 96_000) / rms(input, 48_000, 96_000));
}

describe('capture conditioning', () => {
  it('high-passes at 80 Hz: −24.1 dB at 20 Hz, −3.0 dB at the cutoff, flat at 1 kHz', () => {
    // A 2nd-order Butterworth falls 12 dB/octave: |H(20 Hz)|² = 1 / (1 + (80/20)⁴) → −24.1 dB.
    expect(HIGH_PASS_HZ).toBe(80);
    expect(measuredGainDb(20)).toBeCloseTo(-24.1, 1);
    expect(measuredGainDb(80)).toBeCloseTo(-3.01, 1);
    expect(Math.abs(measuredGainDb(1000))).toBeLessThan(0.01);
    expect(Math.abs(measuredGainDb(4000))).toBeLessThan(0.01);
  });

  it('removes DC', () => {
    const filter = Biquad.highPass(HIGH_PASS_HZ);
    const block = new Float32Array(48_000).fill(0.5);
    filter.process(block);
    expect(Math.abs(block[47_999]!)).toBeLessThan(1e-6);
  });

  it('applies the input gain in dB', () => {
    expect(measuredGainDb(1000, new CaptureConditioner(6))).toBeCloseTo(6, 2);
    expect(measuredGainDb(1000, new CaptureConditioner(-12))).toBeCloseTo(-12, 2);
  });

  it('ramps a gain change across one block instead of stepping', () => {
    const conditioner = new CaptureConditioner(0);
    const out = new Float32Array(BLOCK_SAMPLES);
    const blocks = blocksOf(sine(1000, 0.2, 0.1));
    for (const block of blocks.slice(0, 10)) conditioner.process(block, out);
    conditioner.setGainDb(12);
    conditioner.process(blocks[10]!, out);
    // A 0.1 sine at 1 kHz moves at most 0.0131 a sample, ×4 at the new gain → 0.052; stepping the gain would jump by up to 0.3.
    let largestStep = 0;
    for (let i = 1; i < BLOCK_SAMPLES; i++) largestStep = Math.max(largestStep, Math.abs(out[i]! - out[i - 1]!));
    expect(largestStep).toBeLessThan(0.053);
    conditioner.process(blocks[11]!, out);
    expect(rms(out)).toBeCloseTo(10 ** (12 / 20) * rms(blocks[11]!), 2);
  });

  it('limits boosted input below full scale instead of clipping it', () => {
    const conditioner = new CaptureConditioner(30);
    const out = new Float32Array(BLOCK_SAMPLES);
    let peak = 0;
    for (const block of blocksOf(sine(440, 1, 0.5))) {
      conditioner.process(block, out);
      for (const x of out) peak = Math.max(peak, Math.abs(x));
    }
    expect(peak).toBeLessThanOrEqual(10 ** (-0.3 / 20));
    expect(peak).toBeGreaterThan(0.9);
  });

  it('turns NaN and infinite samples into silence, counts them, and keeps working', () => {
    const conditioner = new CaptureConditioner();
    const out = new Float32Array(BLOCK_SAMPLES);
    const bad = new Float32Array(BLOCK_SAMPLES);
    bad[3] = Number.NaN;
    bad[7] = Number.POSITIVE_INFINITY;
    bad[9] = Number.NEGATIVE_INFINITY;
    conditioner.process(bad, out);
    expect(conditioner.sanitizedSamples).toBe(3);
    expect(out.every(Number.isFinite)).toBe(true);
    for (const block of blocksOf(sine(1000, 0.5, 0.5))) conditioner.process(block, out);
    expect(rms(out)).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });

  it('leaves the caller’s block untouched and rejects gains out of range', () => {
    const block = sine(1000, 0.01, 0.5);
    const copy = block.slice();
    new CaptureConditioner(12).process(block, new Float32Array(BLOCK_SAMPLES));
    expect(block).toEqual(copy);
    expect(() => new CaptureConditioner(31)).toThrow(/input gain 31 dB must lie in \[-30, 30\]/);
    expect(() => new CaptureConditioner(Number.NaN)).toThrow(RangeError);
  });
});
