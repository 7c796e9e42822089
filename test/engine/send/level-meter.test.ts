import { describe, expect, it } from 'vitest';
import { SILENCE_DB } from '../../../electron/engine/dsp/decibels.js';
import { LevelMeter, PEAK_FALL_DB_PER_SECOND, RMS_TIME_CONSTANT_MS } from '../../../electron/engine/send/level-meter.js';
import { blocksOf, silence, sine } from '../../support/signals.js';

describe('input level meter', () => {
  it('reads a full-scale sine as −3.01 dBFS RMS and 0 dBFS peak', () => {
    const meter = new LevelMeter();
    // 1 kHz puts whole periods in a block, so the block RMS is exact.
    meter.measure(blocksOf(sine(1000, 0.01, 1))[0]!);
    expect(meter.blockRmsDb).toBeCloseTo(-3.0103, 3);
    expect(meter.blockPeakDb).toBeCloseTo(0, 3);
    expect(meter.level.rmsDb).toBeCloseTo(-3.0103, 3);
    expect(meter.level.peakDb).toBeCloseTo(0, 3);
  });

  it('reads digital silence as the silence floor, never −Infinity', () => {
    const meter = new LevelMeter();
    meter.measure(silence(0.01));
    expect(meter.blockRmsDb).toBe(SILENCE_DB);
    expect(meter.level).toEqual({ rmsDb: SILENCE_DB, peakDb: SILENCE_DB });
  });

  it('rises at once and falls smoothly: peak 12 dB/s, RMS with a 125 ms time constant', () => {
    const meter = new LevelMeter();
    meter.measure(blocksOf(sine(1000, 0.01, 0.5))[0]!);
    const startRms = meter.level.rmsDb;
    const startPeak = meter.level.peakDb;
    for (const block of blocksOf(silence(0.5))) meter.measure(block);
    expect(PEAK_FALL_DB_PER_SECOND).toBe(12);
    expect(meter.level.peakDb).toBeCloseTo(startPeak - 6, 6);
    // 50 blocks of exponential decay on the mean square, 10 ms each.
    const decayDb = 10 * Math.log10((1 - (1 - Math.exp(-10 / RMS_TIME_CONSTANT_MS))) ** 50);
    expect(meter.level.rmsDb).toBeCloseTo(startRms + decayDb, 6);
    // The raw block values follow the signal at once.
    expect(meter.blockRmsDb).toBe(SILENCE_DB);
  });
});
