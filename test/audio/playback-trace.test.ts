import { describe, expect, it } from 'vitest';
import { whiteNoise } from '../support/noise-signals.js';
import { concatSamples } from '../support/signals.js';
import { tracePlayback, unexplainedFaults } from './helpers/playback-trace.js';

const BLOCK = 480;
const LIMITS = { minSilentSamples: 192, maxLostSamples: 2_400 };
/** One second of "played" blocks, every one unlike the others. */
const played = whiteNoise(48_000, -20, 7);
const lead = new Float32Array(4_800);

function verdict(recording: Float32Array) {
  const trace = tracePlayback(recording, played, { blockSamples: BLOCK, minNcc: 0.95 });
  return { trace, faults: unexplainedFaults(trace, LIMITS) };
}

const blocks = (from: number, to: number) => played.subarray(from * BLOCK, to * BLOCK);

describe('following played blocks through a recording', () => {
  it('finds every block of a faithful recording where the first one put it, with no break', () => {
    const { trace, faults } = verdict(concatSamples([lead, played, lead]));
    expect(trace.voiced).toBe(100);
    expect(trace.found.map((f) => f.at)).toEqual(Array.from({ length: 100 }, (_, block) => 4_800 + block * BLOCK));
    expect(trace.breaks).toEqual([]);
    expect(faults).toEqual([]);
  });

  it('accepts an underrun: 100 ms of silence inserted and the 15 ms then in the buffer lost, in the middle of a block', () => {
    // Played through sample 20 000 (block 41 and a half), then 720 samples discarded and silence.
    const recording = concatSamples([lead, played.subarray(0, 20_000), new Float32Array(4_800), played.subarray(20_720), lead]);
    const { trace, faults } = verdict(recording);
    // Block 41 is cut after 320 samples, 42 is lost whole, 43 lost its first 80.
    expect(trace.breaks).toEqual([{ before: 40, after: 44, shift: 4_800 - 720, silences: [4_800], referenceSilences: [], recordedZeros: 4_800, referenceZeros: 0, missing: [41, 42, 43] }]);
    expect(trace.missing).toEqual([41, 42, 43]);
    expect(faults).toEqual([]);
  });

  it('rejects a block lost where the device played on', () => {
    const { faults } = verdict(concatSamples([lead, blocks(0, 30), blocks(31, 100), lead]));
    expect(faults).toEqual(['between blocks 29 and 31 (offset -480 samples): the recording jumps with no underrun\'s silence (longest 0 silent samples) and no stall near']);
  });

  it('accepts 15 ms lost without silence where the player saw the device stall, and only there', () => {
    // What a short underrun through a 44.1 kHz stream can look like: its silence smeared by the resampler.
    const recording = concatSamples([lead, played.subarray(0, 20_000), played.subarray(20_720), lead]);
    const trace = tracePlayback(recording, played, { blockSamples: BLOCK, minNcc: 0.95 });
    expect(trace.breaks.map((b) => [b.before, b.after, b.shift])).toEqual([[40, 44, -720]]);
    expect(unexplainedFaults(trace, { ...LIMITS, stalledBlocks: [47] })).toEqual([]);
    expect(unexplainedFaults(trace, { ...LIMITS, stalledBlocks: [60] })).toEqual([
      "between blocks 40 and 44 (offset -720 samples): the recording jumps with no underrun's silence (longest 0 silent samples) and no stall near",
    ]);
  });

  it('rejects a block played twice', () => {
    const { faults } = verdict(concatSamples([lead, blocks(0, 31), blocks(30, 100), lead]));
    expect(faults).toEqual(['between blocks 30 and 31 (offset +480 samples): the recording jumps with no underrun\'s silence (longest 0 silent samples) and no stall near']);
  });

  it('rejects two blocks swapped', () => {
    // Neither is where the blocks around it put it, and neither is followed by the block after it.
    const { faults } = verdict(concatSamples([lead, blocks(0, 30), blocks(31, 32), blocks(30, 31), blocks(32, 100), lead]));
    expect(faults).toEqual(['blocks 30, 31 are missing or damaged where the device played on']);
  });

  it('rejects a corrupted block', () => {
    const { faults } = verdict(concatSamples([lead, blocks(0, 50), whiteNoise(BLOCK, -20, 99), blocks(51, 100), lead]));
    expect(faults).toEqual(['block 50 is missing or damaged where the device played on']);
  });

  it('rejects an underrun that loses more than one can', () => {
    // 100 ms lost behind 200 ms of silence: the restart discards at most 50 ms.
    const recording = concatSamples([lead, blocks(0, 40), new Float32Array(9_600), blocks(50, 100), lead]);
    expect(verdict(recording).faults).toEqual([
      'between blocks 39 and 50 (offset +4800 samples): at least 4800 samples lost, more than 1 underrun discards',
      'between blocks 39 and 50 (offset +4800 samples): 10 voiced blocks missing or damaged, more than 1 underrun discards',
    ]);
  });

  it('rejects blocks corrupted after an underrun, though the underrun lost nothing', () => {
    const recording = concatSamples([lead, blocks(0, 40), new Float32Array(4_800), whiteNoise(8 * BLOCK, -20, 99), blocks(48, 100), lead]);
    expect(verdict(recording).faults).toEqual([
      'between blocks 39 and 48 (offset +4800 samples): 8 voiced blocks missing or damaged, more than 1 underrun discards',
    ]);
  });

  it('rejects a recording of nothing but silence, and one that lost its first blocks', () => {
    expect(verdict(new Float32Array(60_000)).faults).toEqual(['none of the 100 voiced blocks was played']);
    expect(verdict(concatSamples([lead, blocks(3, 100), lead])).faults).toEqual(['blocks 0, 1, 2 are missing or damaged where the device played on']);
  });
});
