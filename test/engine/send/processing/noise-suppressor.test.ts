import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES, SAMPLE_RATE } from '../../../../electron/engine/audio-format.js';
import { amplitudeToDb, meanSquare, powerToDb } from '../../../../electron/engine/dsp/decibels.js';
import type { NoiseSuppression, NoiseSuppressor } from '../../../../electron/engine/send/processing/capture-stage.js';
import { loadNoiseSuppression, type NoiseSuppressorFactory } from '../../../../electron/engine/send/processing/noise/load-noise-suppression.js';
import { LOW_STRENGTH_FLOOR_DB } from '../../../../electron/engine/send/processing/noise/rnnoise-suppressor.js';
import { GATE_FLOOR_DB, GATE_HOLD_BLOCKS, VoiceGate } from '../../../../electron/engine/send/processing/noise/voice-gate.js';
import { whiteNoise } from '../../../support/noise-signals.js';
import { activeLevelBySegmentsDb, blocksOf } from '../../../support/signals.js';
import { loadSpeech } from '../helpers.js';

/** RNNoise's output lags its input by one block. */
const LAG = BLOCK_SAMPLES;
const SECOND = SAMPLE_RATE;

interface Run {
  output: Float32Array;
  voiceProbability: number[];
  active: boolean[];
}

function run(suppressor: NoiseSuppressor, signal: Float32Array, beforeBlock?: (index: number) => void): Run {
  const blocks = blocksOf(signal);
  const output = new Float32Array(blocks.length * BLOCK_SAMPLES);
  const voiceProbability: number[] = [];
  const active: boolean[] = [];
  blocks.forEach((block, index) => {
    beforeBlock?.(index);
    suppressor.process(block, output.subarray(index * BLOCK_SAMPLES, (index + 1) * BLOCK_SAMPLES));
    voiceProbability.push(suppressor.voiceProbability);
    active.push(suppressor.active);
  });
  return { output, voiceProbability, active };
}

const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('noise suppressor (RNNoise)', () => {
  let make: NoiseSuppressorFactory;
  const runOnce = (strength: NoiseSuppression, signal: Float32Array): Run => {
    const suppressor = make(strength);
    try {
      return run(suppressor, signal);
    } finally {
      suppressor.close();
    }
  };
  /** How much quieter the output is than the input from `fromSecond` on, with the lag taken out. */
  const attenuationDb = (input: Float32Array, output: Float32Array, fromSecond: number): number =>
    powerToDb(meanSquare(input.subarray(fromSecond * SECOND, input.length - LAG))) - powerToDb(meanSquare(output.subarray(fromSecond * SECOND + LAG)));

  beforeAll(async () => {
    make = await loadNoiseSuppression();
  });

  it("passes audio through bit-exact when off, into another array or in place, and reports no voice and no attenuation", () => {
    const input = whiteNoise(SECOND, -20, 11);
    const suppressor = make('off');
    const apart = run(suppressor, input);
    expect(apart.output).toEqual(input);
    expect(apart.voiceProbability.every((p) => p === 0)).toBe(true);
    expect(apart.active.every((a) => !a)).toBe(true);
    const inPlace = blocksOf(input);
    for (const block of inPlace) suppressor.process(block, block);
    expect(inPlace).toEqual(blocksOf(input));
    suppressor.close();
  });

  it('takes white noise alone at −30 dBFS down by at least 20 dB at high, whatever the seed (34–65 dB measured)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const noise = whiteNoise(8 * SECOND, -30, seed);
      const high = runOnce('high', noise);
      expect(attenuationDb(noise, high.output, 1), `seed ${seed}`).toBeGreaterThanOrEqual(20);
      expect(high.active.slice(100).every(Boolean), `seed ${seed}`).toBe(true);
    }
  });

  it('takes the same noise down by no more than 12 dB at low (11.6–12.0 dB measured)', () => {
    expect(LOW_STRENGTH_FLOOR_DB).toBe(-12);
    for (const seed of [1, 2, 3, 4, 5]) {
      const noise = whiteNoise(8 * SECOND, -30, seed);
      const low = attenuationDb(noise, runOnce('low', noise).output, 1);
      expect(low, `seed ${seed}`).toBeGreaterThan(11);
      expect(low, `seed ${seed}`).toBeLessThanOrEqual(12.01);
    }
  });

  it('keeps clean speech at its level: within 1 dB at low, and at high too (both measure within 0.01 dB)', () => {
    const speech = loadSpeech();
    for (const strength of ['low', 'high'] as const) {
      const { output } = runOnce(strength, speech);
      expect(Math.abs(activeLevelBySegmentsDb(output.subarray(LAG)) - activeLevelBySegmentsDb(speech)), strength).toBeLessThan(1);
    }
  });

  it('gives a high voice probability on speech and a low one on noise', () => {
    const speech = loadSpeech();
    // Blocks louder than −30 dBFS are words; the fixture's pauses sit near −65 dBFS.
    const words = blocksOf(speech).flatMap((block, index) => (powerToDb(meanSquare(block)) > -30 ? [index] : []));
    expect(words.length).toBeGreaterThan(200);
    const onSpeech = runOnce('high', speech).voiceProbability;
    // The probability comes out with the block it judged, one block after it went in.
    expect(mean(words.map((index) => onSpeech[index + 1]!))).toBeGreaterThan(0.9);
    for (const seed of [1, 2, 3]) expect(mean(runOnce('high', whiteNoise(8 * SECOND, -30, seed)).voiceProbability), `seed ${seed}`).toBeLessThan(0.5);
  });

  it('is deterministic and keeps its state per suppressor: two run side by side give the same output', () => {
    const input = whiteNoise(2 * SECOND, -30, 3);
    const [a, b] = [make('high'), make('high')];
    const outputs = [new Float32Array(input.length), new Float32Array(input.length)];
    blocksOf(input).forEach((block, index) => {
      const at = index * BLOCK_SAMPLES;
      a.process(block, outputs[0]!.subarray(at, at + BLOCK_SAMPLES));
      b.process(block, outputs[1]!.subarray(at, at + BLOCK_SAMPLES));
    });
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]).not.toEqual(input);
    a.close();
    b.close();
  });

  it('applies a strength change from the next block: high until block 200, low from there', () => {
    const input = whiteNoise(4 * SECOND, -30, 2);
    const high = runOnce('high', input).output;
    const low = runOnce('low', input).output;
    const switching = make('high');
    const switched = run(switching, input, (index) => {
      if (index === 200) switching.strength = 'low';
    }).output;
    switching.close();
    const split = 200 * BLOCK_SAMPLES;
    // RNNoise's state does not depend on the strength, so each part is exactly that strength's output.
    expect(switched.subarray(0, split)).toEqual(high.subarray(0, split));
    expect(switched.subarray(split)).toEqual(low.subarray(split));
    expect(low.subarray(split)).not.toEqual(high.subarray(split));
  });

  it('switched off and on again, starts afresh: from the next block it matches a new suppressor, and off is bit-exact between', () => {
    const input = whiteNoise(4 * SECOND, -30, 4);
    const switching = make('high');
    const switched = run(switching, input, (index) => {
      if (index === 100) switching.strength = 'off';
      if (index === 150) switching.strength = 'high';
    }).output;
    switching.close();
    const [off, on] = [100 * BLOCK_SAMPLES, 150 * BLOCK_SAMPLES];
    expect(switched.subarray(off, on)).toEqual(input.subarray(off, on));
    expect(switched.subarray(on)).toEqual(runOnce('high', input.subarray(on)).output);
  });

  it('rejects blocks of the wrong size and an unknown strength, is safe to close twice, and refuses use after close', () => {
    const suppressor = make('high');
    expect(() => suppressor.process(new Float32Array(960), new Float32Array(960))).toThrow(/480 samples/);
    expect(() => (suppressor.strength = 'max' as NoiseSuppression)).toThrow(/off, low, high/);
    expect(() => make('on' as NoiseSuppression)).toThrow(/off, low, high/);
    suppressor.close();
    suppressor.close();
    expect(() => suppressor.process(new Float32Array(BLOCK_SAMPLES), new Float32Array(BLOCK_SAMPLES))).toThrow(/after close/);
  });
});

describe('voice gate', () => {
  it('opens at once on a voiced block, holds 30 blocks, then closes 1 dB a block down to −30 dB', () => {
    const gate = new VoiceGate();
    const gainsDb = (probabilities: number[]): number[] => probabilities.map((p) => Math.round(amplitudeToDb(gate.next(p)) * 1000) / 1000);
    expect(GATE_HOLD_BLOCKS).toBe(30);
    expect(GATE_FLOOR_DB).toBe(-30);
    // From the start it closes over the release, as after the hold.
    expect(gainsDb([0, 0, 0])).toEqual([-1, -2, -3]);
    expect(gainsDb(Array<number>(40).fill(0.1)).slice(-1)).toEqual([-30]);
    expect(gainsDb([0.89, 0.9])).toEqual([-30, 0]);
    const afterVoice = gainsDb(Array<number>(65).fill(0.5));
    expect(afterVoice.slice(0, 30).every((db) => db === 0)).toBe(true);
    expect(afterVoice.slice(30, 33)).toEqual([-1, -2, -3]);
    expect(afterVoice.slice(59)).toEqual([-30, -30, -30, -30, -30, -30]);
    gate.reset();
    expect(gainsDb([0])).toEqual([-1]);
  });
});
