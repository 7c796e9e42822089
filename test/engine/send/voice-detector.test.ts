import { describe, expect, it } from 'vitest';
import { ATTACK_BLOCKS, HANGOVER_BLOCKS, HANGOVER_MS, VoiceDetector } from '../../../electron/engine/send/voice-detector.js';

/** Feeds block levels (dBFS, one per 10 ms) and returns the detector's verdict for each. */
function run(detector: VoiceDetector, levels: number[]): boolean[] {
  return levels.map((level) => detector.update(level));
}

const repeat = (level: number, blocks: number): number[] => new Array<number>(blocks).fill(level);

/** Deterministic jittery noise levels: uniform in level ± spread dB. */
function jittery(level: number, spread: number, blocks: number): number[] {
  let state = 12345;
  return Array.from({ length: blocks }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return level + spread * (2 * (state / 0x1_0000_0000) - 1);
  });
}

describe('voice activity detection', () => {
  it('opens on the second loud block and holds 350 ms past the last one, then closes', () => {
    expect(HANGOVER_MS).toBe(350);
    expect(HANGOVER_BLOCKS).toBe(35);
    expect(ATTACK_BLOCKS).toBe(2);
    const detector = new VoiceDetector();
    const verdicts = run(detector, [...repeat(-70, 300), ...repeat(-30, 50), ...repeat(-70, 100)]);
    expect(verdicts.slice(0, 301).includes(true)).toBe(false);
    expect(verdicts[301]).toBe(true);
    // Last loud block is 349: blocks 350 to 384 (35 blocks, 350 ms) are hangover; 385 is closed.
    expect(verdicts.slice(301, 385).every(Boolean)).toBe(true);
    expect(verdicts.slice(385).some(Boolean)).toBe(false);
    expect(detector.noiseFloorDb).toBeCloseTo(-70, 6);
  });

  it('with a suppressor model, opens only on blocks it finds voice-like, then holds on energy alone', () => {
    const detector = new VoiceDetector();
    run(detector, repeat(-70, 300));
    // Loud enough, but the model says fan: never opens.
    expect(repeat(-30, 50).map((level) => detector.update(level, 0.1)).includes(true)).toBe(false);
    // One voice-like block between unlike ones is no run: the attack needs two in a row.
    expect([0.9, 0.2].map((p) => detector.update(-30, p))).toEqual([false, false]);
    expect([0.9, 0.5].map((p) => detector.update(-30, p))).toEqual([false, true]);
    // Once open, a word's unvoiced blocks keep it open: holding depends on level, not on the model.
    expect(repeat(-30, 20).every(() => detector.update(-30, 0))).toBe(true);
  });

  it('keeps holding through a pause shorter than the hangover', () => {
    const detector = new VoiceDetector();
    const verdicts = run(detector, [...repeat(-70, 300), ...repeat(-30, 20), ...repeat(-70, 30), ...repeat(-30, 20), ...repeat(-70, 60)]);
    expect(verdicts.slice(301, 405).every(Boolean)).toBe(true);
    expect(verdicts[405]).toBe(false);
  });

  it('ignores a single click', () => {
    const detector = new VoiceDetector();
    expect(run(detector, [...repeat(-70, 300), -20, ...repeat(-70, 100), -20, -70, -20, ...repeat(-70, 10)]).some(Boolean)).toBe(false);
  });

  it('never opens on fluctuating background noise (a minute at −70 ± 6 dB)', () => {
    expect(run(new VoiceDetector(), jittery(-70, 6, 6000)).some(Boolean)).toBe(false);
  });

  it('never opens below −55 dBFS without a user threshold, however quiet the room', () => {
    const detector = new VoiceDetector();
    expect(run(detector, [...repeat(-100, 300), ...repeat(-56, 100)]).some(Boolean)).toBe(false);
    expect(run(detector, repeat(-54, 2))).toEqual([false, true]);
  });

  it('applies a user threshold in dBFS on top of the noise floor, with 4 dB of hysteresis', () => {
    const quiet = repeat(-70, 300);
    expect(run(new VoiceDetector(), [...quiet, ...repeat(-45, 5)]).some(Boolean)).toBe(true);
    expect(run(new VoiceDetector(-40), [...quiet, ...repeat(-41, 100)]).some(Boolean)).toBe(false);
    const detector = new VoiceDetector(-40);
    const verdicts = run(detector, [...quiet, ...repeat(-39, 10), ...repeat(-43.5, 100), ...repeat(-45, 36)]);
    // Held by −43.5 (above −44) for the whole second, then 35 blocks of hangover at −45, closed on the 36th.
    expect(verdicts.slice(301, 445).every(Boolean)).toBe(true);
    expect(verdicts[445]).toBe(false);
  });

  it('rejects a threshold outside [−90, 0] dBFS', () => {
    expect(() => new VoiceDetector(3)).toThrow(/voice threshold 3 dBFS must lie in \[-90, 0\]/);
    expect(() => {
      new VoiceDetector().thresholdDb = Number.NaN;
    }).toThrow(RangeError);
  });

  it('adapts to a fan switching on: it may open at the step, then closes within the 2 s window plus hangover and stays closed', () => {
    const detector = new VoiceDetector();
    const verdicts = run(detector, [...repeat(-70, 300), ...jittery(-40, 2, 2000)]);
    const lastOpen = verdicts.lastIndexOf(true);
    expect(lastOpen).toBeLessThan(300 + 200 + HANGOVER_BLOCKS);
    expect(detector.noiseFloorDb).toBeGreaterThan(-43);
  });
});
