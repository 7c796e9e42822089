import { describe, expect, it } from 'vitest';
import { rmsDb, SILENCE_DB } from '../../../electron/engine/dsp/decibels.js';
import { cutSpan, estimatePitch, insertPitchPeriod, removePitchPeriod } from '../../../electron/engine/receive/time-compress.js';
import { largestStep } from '../../support/signals.js';
import { voicedSignal } from './support/signals.js';

describe('time compression', () => {
  const voiced = voicedSignal(20).slice(); // one 20 ms frame at f0 ≈ 140 Hz: a period of ≈ 343 samples

  it('finds the pitch period of voiced sound', () => {
    const pitch = estimatePitch(voiced, 960)!;
    expect(pitch.lag).toBeGreaterThanOrEqual(330);
    expect(pitch.lag).toBeLessThanOrEqual(356);
    expect(pitch.correlation).toBeGreaterThan(0.95);
  });

  it('only looks as far as it may remove', () => {
    expect(estimatePitch(voiced, 100)).toBeUndefined();
    expect(estimatePitch(voiced, 200)!.lag).toBeLessThanOrEqual(200);
  });

  it('removes one period without a click: same start and end, no step larger than the signal’s own', () => {
    const { lag } = estimatePitch(voiced, 960)!;
    const out = removePitchPeriod(voiced, lag);
    expect(out.length).toBe(960 - lag);
    expect(out[out.length - 1]).toBe(voiced[959]);
    expect(Math.abs(out[0]! - voiced[0]!)).toBeLessThan(0.01);
    expect(largestStep(out)).toBeLessThanOrEqual(largestStep(voiced) * 1.1);
    expect(rmsDb(out)).toBeCloseTo(rmsDb(voiced), 0);
  });

  it('adds one period without a click: same start and end, no step larger than the signal’s own', () => {
    const { lag } = estimatePitch(voiced, 960)!;
    const out = insertPitchPeriod(voiced, lag);
    expect(out.length).toBe(960 + lag);
    expect(out[0]).toBe(voiced[0]);
    expect(out[out.length - 1]).toBe(voiced[959]);
    expect(largestStep(out)).toBeLessThanOrEqual(largestStep(voiced) * 1.1);
    expect(rmsDb(out)).toBeCloseTo(rmsDb(voiced), 0);
    expect(insertPitchPeriod(voiced, 500)).toBe(voiced); // two periods must fit
  });

  it('cuts a span with a crossfade, or leaves the frame alone when the span does not fit', () => {
    const quiet = voiced.map((v) => v * 0.001);
    const out = cutSpan(quiet, 720, 120);
    expect(out.length).toBe(240);
    expect(out.subarray(120)).toEqual(quiet.subarray(840));
    expect(cutSpan(quiet, 900, 120)).toBe(quiet);
    expect(cutSpan(quiet, 0, 120)).toBe(quiet);
  });

  it('measures RMS in dBFS', () => {
    expect(rmsDb(new Float32Array(480).fill(0.5))).toBeCloseTo(-6.02, 2);
    expect(rmsDb(new Float32Array(480))).toBe(SILENCE_DB);
  });
});
