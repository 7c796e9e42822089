import { describe, expect, it } from 'vitest';
import { BLOCK_MS, BLOCK_SAMPLES } from '../../../electron/engine/audio-format.js';
import { blockPeak, checkOutputQueueLimits, decideOutput, OUTPUT_QUEUE_DEFAULTS, SILENT_PEAK, type OutputAction } from '../../../electron/engine/mix/output-queue-policy.js';
import { compressBlock, MAX_CUT_SAMPLES, MIN_CUT_SAMPLES } from '../../../electron/engine/mix/time-compress.js';

const LOUD = 0.5;
const QUIET = SILENT_PEAK / 2;

const sineBlock = (frequencyHz: number, amplitude = 0.5): Float32Array =>
  Float32Array.from({ length: BLOCK_SAMPLES }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / 48_000 + 0.3));

describe('output queue policy', () => {
  it('writes within bounds, pads before an underrun, drops silence above target, shortens audio above high, drops anything past max', () => {
    expect(OUTPUT_QUEUE_DEFAULTS).toEqual({ lowMs: 10, targetMs: 40, highMs: 60, maxMs: 150 });
    const table: [number, number, OutputAction][] = [
      [0, LOUD, 'pad'],
      [9.9, QUIET, 'pad'],
      [10, LOUD, 'write'],
      [49.9, QUIET, 'write'], // dropping 10 ms here would dip below the 40 ms target
      [50, QUIET, 'skip'],
      [50, LOUD, 'write'],
      [60, LOUD, 'write'],
      [60.1, LOUD, 'compress'],
      [150, LOUD, 'compress'],
      [150.1, LOUD, 'skip'],
      [400, QUIET, 'skip'],
    ];
    expect(table.map(([buffered, peak]) => decideOutput(buffered, peak))).toEqual(table.map(([, , action]) => action));
  });

  it('rejects a nonsensical buffered amount and inconsistent limits', () => {
    expect(() => decideOutput(-1, 0)).toThrow(/buffered amount -1 ms/);
    expect(() => decideOutput(Number.NaN, 0)).toThrow(RangeError);
    expect(() => checkOutputQueueLimits({ lowMs: 10, targetMs: 5, highMs: 60, maxMs: 150 })).toThrow(/0 ≤ low < target ≤ high < max/);
  });

  it('holds latency near target when the producer runs 2 % fast, however long it runs', () => {
    // A pure simulation: the device plays 10 ms per tick, the mixer delivers a block per tick plus one
    // more every 50 ticks (a 2 % clock mismatch). Conversation: 2 s of talk, then 1 s of silence.
    let queuedMs = OUTPUT_QUEUE_DEFAULTS.targetMs;
    let worst = 0;
    const counts: Record<OutputAction, number> = { write: 0, pad: 0, compress: 0, skip: 0 };
    let droppedAudible = 0;
    const offer = (tick: number): void => {
      const peak = tick % 300 < 200 ? LOUD : 0;
      const action = decideOutput(queuedMs, peak);
      counts[action]++;
      if (action === 'skip' && peak === LOUD) droppedAudible++;
      if (action === 'write') queuedMs += BLOCK_MS;
      if (action === 'pad') queuedMs += 2 * BLOCK_MS;
      if (action === 'compress') queuedMs += BLOCK_MS - 2.5; // a typical cut: one 2.5 ms pitch period
    };
    for (let tick = 0; tick < 360_000; tick++) {
      offer(tick);
      if (tick % 50 === 0) offer(tick);
      queuedMs = Math.max(0, queuedMs - BLOCK_MS);
      worst = Math.max(worst, queuedMs);
    }
    // Never more than one block above the high mark, and the talk bursts never hit the hard limit.
    expect(worst).toBeLessThanOrEqual(OUTPUT_QUEUE_DEFAULTS.highMs + BLOCK_MS);
    expect(counts.pad).toBe(0);
    // The surplus drains through silent blocks and shortened ones; no audible block is ever dropped.
    expect(droppedAudible).toBe(0);
    expect(counts.skip).toBeGreaterThan(0);
    expect(counts.compress).toBeGreaterThan(0);
  });

  it('measures a block’s peak', () => {
    expect(blockPeak(Float32Array.of(0.1, -0.7, 0.3))).toBeCloseTo(0.7, 6);
  });
});

describe('time compression', () => {
  it('cuts exactly one period from a periodic block, leaving the waveform intact', () => {
    // 400 Hz: a 120-sample period, inside the 48–240 sample search range.
    const block = sineBlock(400);
    const out = new Float32Array(BLOCK_SAMPLES);
    const length = compressBlock(block, out);
    expect(length).toBe(BLOCK_SAMPLES - 120);
    for (let i = 0; i < length; i++) expect(out[i]).toBeCloseTo(block[i]!, 5);
  });

  it('cuts between 1 and 5 ms from anything, starting and ending where the block does', () => {
    let state = 3;
    const noisy = Float32Array.from({ length: BLOCK_SAMPLES }, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return 0.5 * (state / 0x8000_0000 - 1);
    });
    const out = new Float32Array(BLOCK_SAMPLES);
    const length = compressBlock(noisy, out);
    expect(BLOCK_SAMPLES - length).toBeGreaterThanOrEqual(MIN_CUT_SAMPLES);
    expect(BLOCK_SAMPLES - length).toBeLessThanOrEqual(MAX_CUT_SAMPLES);
    // The crossfade weights the original fully at the start and the shifted block fully at the end.
    expect(Math.abs(out[0]! - noisy[0]!)).toBeLessThan(0.01);
    expect(Math.abs(out[length - 1]! - noisy[BLOCK_SAMPLES - 1]!)).toBeLessThan(0.01);
  });

  it('refuses an output too small to hold the block', () => {
    expect(() => compressBlock(sineBlock(400), new Float32Array(100))).toThrow(/output at least as long as the block/);
  });
});
