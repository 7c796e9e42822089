import { describe, expect, it } from 'vitest';
import { adjustFrame } from '../../../electron/engine/receive/time-adjust.js';
import { seededRandom, voicedSignal } from './support/signals.js';

const SPLICE = 120;

describe('adjustFrame', () => {
  const voiced = voicedSignal(20).slice();
  const quiet = voiced.map((v) => v * 0.001);
  const random = seededRandom(3);
  const noise = new Float32Array(960).map(() => (random() * 2 - 1) * 0.3);

  it('shortens a pause by as much as asked, keeping the splice', () => {
    expect(adjustFrame(quiet, { kind: 'compress', maxSamples: 300, speechAllowed: false }, SPLICE).length).toBe(660);
    expect(adjustFrame(quiet, { kind: 'compress', maxSamples: 5000, speechAllowed: false }, SPLICE).length).toBe(SPLICE);
  });

  it('leaves speech alone until speech may be compressed, then removes one pitch period', () => {
    expect(adjustFrame(voiced, { kind: 'compress', maxSamples: 960, speechAllowed: false }, SPLICE)).toBe(voiced);
    const shorter = adjustFrame(voiced, { kind: 'compress', maxSamples: 960, speechAllowed: true }, SPLICE);
    expect(960 - shorter.length).toBeGreaterThanOrEqual(330);
    expect(960 - shorter.length).toBeLessThanOrEqual(356);
  });

  it('lengthens voiced sound and pauses by a period, but not noisy sound it would smear', () => {
    expect(adjustFrame(voiced, { kind: 'stretch', maxSamples: 480, speechAllowed: true }, SPLICE).length).toBeGreaterThan(960 + 329);
    expect(adjustFrame(quiet, { kind: 'stretch', maxSamples: 480, speechAllowed: true }, SPLICE).length).toBeGreaterThan(960);
    expect(adjustFrame(noise, { kind: 'stretch', maxSamples: 480, speechAllowed: true }, SPLICE)).toBe(noise);
  });

  it('does nothing when nothing is to be changed', () => {
    expect(adjustFrame(quiet, { kind: 'compress', maxSamples: 0.5, speechAllowed: true }, SPLICE)).toBe(quiet);
    expect(adjustFrame(voiced, { kind: 'stretch', maxSamples: 100, speechAllowed: true }, SPLICE)).toBe(voiced); // no period that short
  });
});
