import { describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES } from '../../../../electron/engine/audio-format.js';
import { dbToGain } from '../../../../electron/engine/dsp/decibels.js';
import { PEAK_LIMITER_DEFAULTS } from '../../../../electron/engine/mix/peak-limiter.js';
import { AUTO_GAIN_DEFAULTS } from '../../../../electron/engine/send/processing/gain/gain-controller.js';
import { SpeechAutoGain } from '../../../../electron/engine/send/processing/gain/speech-auto-gain.js';
import { SpeechLevelEstimator } from '../../../../electron/engine/send/processing/gain/speech-level-estimator.js';
import { activeLevelByFlagsDb, blocksOf, concatSamples, largestStep, sine } from '../../../support/signals.js';
import { noise } from '../../../support/noise-signals.js';
import { peakOf, runAutoGain, settledFrom, speechAt } from './gain-signals.js';

const CEILING = dbToGain(PEAK_LIMITER_DEFAULTS.ceilingDb);
const RISE_PER_BLOCK = AUTO_GAIN_DEFAULTS.riseDbPerSecond / 100;
const OVERLOAD_FALL_PER_BLOCK = AUTO_GAIN_DEFAULTS.overloadFallDbPerSecond / 100;
const LIMITER_DELAY = 71;

/** How many speech blocks came before each block (so a bound on convergence reads in blocks of speech, not of time). */
function speechCounts(speech: readonly boolean[]): number[] {
  let count = 0;
  return speech.map((s) => (s ? ++count : count));
}

describe('speech level estimator', () => {
  it('is the plain mean of the first blocks, then an average over the last 200', () => {
    const estimator = new SpeechLevelEstimator();
    expect(estimator.levelDb).toBeUndefined();
    estimator.add(0.01);
    expect(estimator.levelDb).toBeCloseTo(-20, 12);
    estimator.add(0.03);
    expect(estimator.levelDb).toBeCloseTo(10 * Math.log10(0.02), 12);
    for (let i = 0; i < 198; i++) estimator.add(0.02);
    // Full: one more block moves the mean by 1/200 of its distance, not 1/201.
    estimator.add(0.22);
    expect(estimator.levelDb).toBeCloseTo(10 * Math.log10(0.021), 12);
  });

  it('rejects a power that is negative or not finite', () => {
    const estimator = new SpeechLevelEstimator();
    expect(() => estimator.add(Number.NaN)).toThrow(RangeError);
    expect(() => estimator.add(-1)).toThrow(RangeError);
    expect(() => new SpeechLevelEstimator(0)).toThrow(RangeError);
  });
});

describe('automatic gain', () => {
  it('brings speech at −40 and −6 dBFS within 6 dB of each other, never past full scale', () => {
    const quiet = speechAt(-40, 3);
    const loud = speechAt(-6, 3);
    const quietRun = runAutoGain(new SpeechAutoGain(), quiet.blocks, (i) => quiet.speech[i]!);
    const loudRun = runAutoGain(new SpeechAutoGain(), loud.blocks, (i) => loud.speech[i]!);
    // Measured over the third pass, after convergence.
    const third = quiet.blocks.length / 3 * 2;
    const quietOut = activeLevelByFlagsDb(quietRun.output.slice(third), quiet.speech.slice(third));
    const loudOut = activeLevelByFlagsDb(loudRun.output.slice(third), loud.speech.slice(third));
    expect(quietOut).toBeCloseTo(AUTO_GAIN_DEFAULTS.targetDb, 0);
    // −6 needs −14 dB; the gain stops at −10, and the limiter takes a little off the peaks.
    expect(loudOut).toBeCloseTo(-6 + AUTO_GAIN_DEFAULTS.minGainDb, 0);
    expect(Math.abs(quietOut - loudOut)).toBeLessThan(6);
    expect(quietRun.gainsDb.at(-1)).toBeCloseTo(20, 0);
    expect(loudRun.gainsDb.at(-1)).toBe(AUTO_GAIN_DEFAULTS.minGainDb);
    expect(peakOf(quietRun.output)).toBeLessThanOrEqual(CEILING);
    expect(peakOf(loudRun.output)).toBeLessThanOrEqual(CEILING);
    // The loud source's raw peaks are over full scale: the limiter held them.
    expect(peakOf(loud.blocks)).toBeGreaterThan(2);
  });

  it('rises at 6 dB/s of speech and is within 1 dB of its level after at most 334 speech blocks for a 20 dB lift', () => {
    const quiet = speechAt(-40, 3);
    const run = runAutoGain(new SpeechAutoGain(), quiet.blocks, (i) => quiet.speech[i]!);
    const counts = speechCounts(quiet.speech);
    // While climbing, a speech block adds exactly the rise step (or nothing, lost in the noise), and a block judged silent nothing.
    for (let i = 1; i < quiet.blocks.length && run.gainsDb[i]! < 19; i++) {
      const rise = run.gainsDb[i]! - run.gainsDb[i - 1]!;
      if (quiet.speech[i - 1]) expect([0, RISE_PER_BLOCK].some((step) => Math.abs(rise - step) < 1e-9)).toBe(true);
      else expect(rise).toBe(0);
    }
    // 20 dB at 0.06 dB per speech block: 334 blocks (3.3 s of speech) at most; the estimate is right from the first words.
    const settled = settledFrom(run.gainsDb, 1);
    expect(counts[settled]).toBeLessThanOrEqual(334);
    expect(counts[settled]).toBeGreaterThanOrEqual(Math.floor(19 / RISE_PER_BLOCK));
    // Settled (the third pass), it wanders less than ±0.5 dB over the words: no pumping.
    const after = run.gainsDb.slice((quiet.blocks.length / 3) * 2);
    expect(Math.max(...after) - Math.min(...after)).toBeLessThan(1);
  });

  it('falls faster while speech overloads it: a 10 dB cut within 120 speech blocks, no faster than 30 dB/s', () => {
    const loud = speechAt(-6, 1);
    const run = runAutoGain(new SpeechAutoGain(), loud.blocks, (i) => loud.speech[i]!);
    const counts = speechCounts(loud.speech);
    const reached = run.gainsDb.findIndex((g) => g === AUTO_GAIN_DEFAULTS.minGainDb);
    // At the ordinary 6 dB/s, 10 dB would take 167 speech blocks; at 30 dB/s, 34.
    expect(counts[reached]).toBeLessThanOrEqual(120);
    expect(counts[reached]).toBeGreaterThanOrEqual(10 / OVERLOAD_FALL_PER_BLOCK);
    for (let i = 1; i < run.gainsDb.length; i++) expect(run.gainsDb[i - 1]! - run.gainsDb[i]!).toBeLessThanOrEqual(OVERLOAD_FALL_PER_BLOCK + 1e-9);
  });

  it('keeps the gain exactly constant through a pause, whatever the pause holds', () => {
    const quiet = speechAt(-40, 1);
    const agc = new SpeechAutoGain();
    runAutoGain(agc, quiet.blocks, (i) => quiet.speech[i]!);
    const held = agc.gainDb;
    expect(held).toBeGreaterThan(15);
    // Room noise, then a door slam, all judged not speech.
    const pause = [...blocksOf(noise(2, 0.003, 9)), ...blocksOf(noise(0.2, 0.9, 10))];
    const run = runAutoGain(agc, pause, () => false);
    expect(new Set(run.gainsDb)).toEqual(new Set([held]));
    // No verdict at all counts as no speech.
    const input = noise(0.01, 0.003, 11);
    const output = new Float32Array(BLOCK_SAMPLES);
    agc.process(input, output);
    agc.process(input, output);
    expect(agc.gainDb).toBe(held);
    // The noise comes out at exactly the held gain, one limiter look-ahead late.
    const noiseIn = concatSamples(pause.slice(0, 100));
    const noiseOut = concatSamples(run.output.slice(0, 100));
    const gain = dbToGain(held);
    for (let i = 480 + LIMITER_DELAY; i < noiseIn.length; i += 97) expect(noiseOut[i]).toBeCloseTo(noiseIn[i - LIMITER_DELAY]! * gain, 6);
    expect(peakOf(run.output)).toBeLessThanOrEqual(CEILING);
  });

  it('does not lift steady noise the voice detector mistook for speech, nor the hangover after words', () => {
    const fan = blocksOf(noise(3, 0.005, 5));
    const run = runAutoGain(new SpeechAutoGain(), fan, () => true);
    expect(new Set(run.gainsDb)).toEqual(new Set([0]));
    // Speech whose pauses are all judged speech (a detector that never closes) lands where the speech alone puts it.
    const quiet = speechAt(-40, 3);
    const always = runAutoGain(new SpeechAutoGain(), quiet.blocks, () => true);
    const third = (quiet.blocks.length / 3) * 2;
    expect(activeLevelByFlagsDb(always.output.slice(third), quiet.speech.slice(third))).toBeCloseTo(AUTO_GAIN_DEFAULTS.targetDb, 0);
  });

  it('limits a sudden loud burst under full scale and cuts the gain at the overload rate while it lasts', () => {
    const quiet = speechAt(-40, 2);
    const agc = new SpeechAutoGain();
    runAutoGain(agc, quiet.blocks, (i) => quiet.speech[i]!);
    const before = agc.gainDb;
    // A shout 35 dB over the talker, 0.5 s, judged speech: at +20 dB its peaks would reach 9× full scale.
    const burst = blocksOf(noise(0.5, 0.9, 3));
    const run = runAutoGain(agc, burst, () => true);
    expect(peakOf(run.output)).toBeLessThanOrEqual(CEILING);
    expect(peakOf(run.output)).toBeGreaterThan(0.9 * CEILING);
    // Every burst block overloads, so each cuts 0.3 dB (the gain shown for a block is the one it was processed at).
    expect(run.gainsDb.at(-1)).toBeCloseTo(before - OVERLOAD_FALL_PER_BLOCK * 49, 9);
  });

  it('passes audio through bit for bit while disabled, reporting 0 dB', () => {
    const loud = speechAt(-6, 1);
    const agc = new SpeechAutoGain({ enabled: false });
    const run = runAutoGain(agc, loud.blocks, (i) => loud.speech[i]!);
    run.output.forEach((block, index) => expect(block).toEqual(loud.blocks[index]));
    expect(new Set(run.gainsDb)).toEqual(new Set([0]));
    expect(agc.latencySamples).toBe(0);
    // In place too.
    const block = loud.blocks[60]!.slice();
    agc.process(block, block);
    expect(block).toEqual(loud.blocks[60]);
  });

  it('switches off and on live with a one-block crossfade: no step, bit-exact once off, the learned gain once on', () => {
    const quiet = speechAt(-40, 1);
    const agc = new SpeechAutoGain();
    runAutoGain(agc, quiet.blocks, (i) => quiet.speech[i]!);
    // A tone from here on, judged silent, so the gain stays where the speech left it.
    const tone = blocksOf(sine(440, 6, 0.01));
    const learn = runAutoGain(agc, tone.slice(0, 400), () => false);
    const gain = agc.gainDb;
    expect(gain).toBeGreaterThan(15);
    const steadyStep = largestStep(concatSamples(learn.output.slice(390)));

    agc.enabled = false;
    const off = runAutoGain(agc, tone.slice(400, 410), () => false);
    expect(off.gainsDb).toEqual(new Array<number>(10).fill(0));
    off.output.slice(1).forEach((block, index) => expect(block).toEqual(tone[401 + index]));
    // Across the switch (last block on, the crossfade, first block off) nothing moves faster than the boosted tone itself.
    const crossfadeSlack = ((dbToGain(gain) + 1) * 0.01) / BLOCK_SAMPLES;
    expect(largestStep(concatSamples([learn.output.at(-1)!, ...off.output.slice(0, 2)]))).toBeLessThanOrEqual(steadyStep + crossfadeSlack);

    agc.enabled = true;
    const on = runAutoGain(agc, tone.slice(410, 420), () => false);
    expect(on.gainsDb).toEqual(new Array<number>(10).fill(gain));
    expect(largestStep(concatSamples([off.output.at(-1)!, ...on.output.slice(0, 2)]))).toBeLessThanOrEqual(steadyStep + crossfadeSlack);
    // The limited path continues the tone as if never interrupted (its look-ahead refilled with what was played while off):
    // the tone at the gain, 71 samples late, faded in across the first block and alone from the second.
    const input = concatSamples(tone.slice(409, 420)).subarray(BLOCK_SAMPLES - LIMITER_DELAY);
    const output = concatSamples(on.output);
    for (let i = 0; i < output.length; i++) {
      const w = Math.min(1, (i + 1) / BLOCK_SAMPLES);
      expect(output[i]).toBeCloseTo(input[i + LIMITER_DELAY]! * (1 - w) + input[i]! * dbToGain(gain) * w, 6);
    }
  });

  it('rejects blocks of different sizes, bad settings, and use after close', () => {
    const agc = new SpeechAutoGain();
    expect(() => agc.process(new Float32Array(480), new Float32Array(479))).toThrow(RangeError);
    expect(() => new SpeechAutoGain({ targetDb: -60 })).toThrow(RangeError);
    expect(() => new SpeechAutoGain({ maxGainDb: 50 })).toThrow(RangeError);
    expect(() => new SpeechAutoGain({ riseDbPerSecond: 0 })).toThrow(RangeError);
    agc.close();
    agc.close();
    expect(() => agc.process(new Float32Array(480), new Float32Array(480))).toThrow(/after close/);
  });
});
