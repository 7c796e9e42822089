import { describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES, floatToInt16 } from '../../../electron/engine/audio-format.js';
import { PeakLimiter } from '../../../electron/engine/mix/peak-limiter.js';
import { peak } from '../../support/signals.js';

/** Runs a long signal through the limiter block by block and returns the output. */
function limit(limiter: PeakLimiter, signal: Float32Array): Float32Array {
  const out = signal.slice();
  for (let at = 0; at + BLOCK_SAMPLES <= out.length; at += BLOCK_SAMPLES) limiter.process(out.subarray(at, at + BLOCK_SAMPLES));
  return out;
}

const dcSteps = (...steps: [number, number][]): Float32Array => Float32Array.from(steps.flatMap(([value, samples]) => new Array<number>(samples).fill(value)));

describe('peak limiter', () => {
  it('passes a signal below the ceiling unchanged, only delayed by the 1.5 ms look-ahead', () => {
    const limiter = new PeakLimiter();
    expect(limiter.latencySamples).toBe(71);
    const input = Float32Array.from({ length: 4800 }, (_, i) => 0.9 * Math.sin(i / 7));
    const output = limit(limiter, input);
    expect(output.subarray(71)).toEqual(input.subarray(0, 4800 - 71));
    expect(output.subarray(0, 71).every((x) => x === 0)).toBe(true);
    expect(limiter.gainReductionDb).toBe(0);
  });

  it('holds a 4× overload to the ceiling with a straight 1.5 ms ramp down and no overshoot', () => {
    const limiter = new PeakLimiter();
    const ceiling = limiter.ceiling;
    expect(ceiling).toBeCloseTo(10 ** (-0.3 / 20), 12);
    const output = limit(limiter, dcSteps([0.5, 960], [4, 960]));
    // The step reaches the output at sample 960 + 71; the gain starts falling 72 samples before that.
    const ramp = output.subarray(960 + 71 - 72, 960 + 71);
    const steps = ramp.subarray(1).map((x, i) => x - ramp[i]!);
    const expectedStep = (0.5 - (0.5 * ceiling * (1 - 1e-6)) / 4) / 72;
    for (const step of steps) expect(step).toBeCloseTo(-expectedStep, 6);
    expect(peak(output)).toBeLessThanOrEqual(ceiling);
    expect(output[1919]).toBeCloseTo(ceiling, 5);
    expect(limiter.gainReductionDb).toBeCloseTo(20 * Math.log10(4 / ceiling), 4);
    expect(limiter.clampedSamples).toBe(0);
  });

  it('recovers with a 60 ms time constant', () => {
    const limiter = new PeakLimiter();
    // 4× overload for 20 ms, then a level the limiter need not touch.
    const output = limit(limiter, dcSteps([2, 960], [0.25, 48_000]));
    const gainAt = (sampleAfterRelease: number): number => output[960 + 71 + sampleAfterRelease]! / 0.25;
    const held = limiter.ceiling / 2;
    // After the 72-sample averaging window, the reduction decays by e every 60 ms (2880 samples).
    const remaining = (gain: number): number => 1 - gain;
    expect(remaining(gainAt(72 + 2880)) / remaining(gainAt(72))).toBeCloseTo(Math.exp(-1), 2);
    // Recovery starts as the last overloaded sample leaves the look-ahead window: by then the gain has moved one release step.
    expect(gainAt(0)).toBeCloseTo(held, 5);
    expect(1 - gainAt(24_000)).toBeCloseTo((1 - held) * Math.exp(-(24_000 - 72) / 2880), 4);
  });

  it('keeps four full-scale sources summed below full scale, so int16 conversion never clips or wraps', () => {
    const limiter = new PeakLimiter();
    const sum = Float32Array.from({ length: 48_000 }, (_, i) => {
      const t = i / 48_000;
      return Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 330 * t + 1) + Math.sin(2 * Math.PI * 440 * t + 2) + Math.sign(Math.sin(2 * Math.PI * 97 * t));
    });
    const output = limit(limiter, sum);
    expect(peak(sum)).toBeGreaterThan(3);
    expect(peak(output)).toBeLessThanOrEqual(limiter.ceiling);
    const pcm = floatToInt16(output);
    expect(peak(pcm)).toBeLessThanOrEqual(Math.round(limiter.ceiling * 32768));
    expect(limiter.clampedSamples).toBe(0);
  });

  it('treats NaN and infinity as silence instead of poisoning its state', () => {
    const limiter = new PeakLimiter();
    const block = new Float32Array(BLOCK_SAMPLES).fill(0.5);
    block[10] = Number.NaN;
    block[20] = Number.POSITIVE_INFINITY;
    limiter.process(block);
    // Delayed by 71 samples: the bad samples come out as zeros at 81 and 91, the rest untouched.
    expect([block[80], block[81], block[82], block[91], block[479]]).toEqual([0.5, 0, 0.5, 0, 0.5]);
    const next = new Float32Array(BLOCK_SAMPLES).fill(0.5);
    limiter.process(next);
    expect(next.every((x) => x === 0.5)).toBe(true);
  });

  it('rejects settings out of range', () => {
    expect(() => new PeakLimiter({ ceilingDb: 1 })).toThrow(/ceiling 1 dBFS/);
    expect(() => new PeakLimiter({ lookaheadMs: 50 })).toThrow(/look-ahead 50 ms/);
    expect(() => new PeakLimiter({ releaseMs: 0 })).toThrow(/release 0 ms/);
  });
});
