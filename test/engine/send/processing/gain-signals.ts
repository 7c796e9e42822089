import { BLOCK_SAMPLES } from '../../../../electron/engine/audio-format.js';
import { dbToGain, rmsDb } from '../../../../electron/engine/dsp/decibels.js';
import type { AutoGain } from '../../../../electron/engine/send/processing/capture-stage.js';
import { activeLevelByFlagsDb, blocksOf, peak } from '../../../support/signals.js';
import { loadSpeech } from '../helpers.js';

/** Blocks of the speech fixture louder than this are its speech: its words sit at −45 to −12 dBFS, its noise at −65. */
const FIXTURE_SPEECH_FLOOR_DB = -50;

export interface SpeechSource {
  blocks: Float32Array[];
  /** Which blocks hold speech: what a perfect voice detector would say, the same at every level. */
  speech: boolean[];
}

/**
 * The speech fixture `passes` times over, scaled so its active speech level
 * (the RMS over its speech blocks) is `levelDb` dBFS.
 */
export function speechAt(levelDb: number, passes = 1): SpeechSource {
  const fixture = blocksOf(loadSpeech());
  const flags = fixture.map((block) => rmsDb(block) > FIXTURE_SPEECH_FLOOR_DB);
  const scale = dbToGain(levelDb - activeLevelByFlagsDb(fixture, flags));
  const blocks: Float32Array[] = [];
  const speech: boolean[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const block of fixture) blocks.push(block.map((x) => x * scale));
    speech.push(...flags);
  }
  return { blocks, speech };
}

export interface GainRun {
  output: Float32Array[];
  /** `gainDb` after each block. */
  gainsDb: number[];
}

/** Each block through the stage, with its speech verdict given after it as the voice detector downstream would. */
export function runAutoGain(agc: AutoGain, blocks: readonly Float32Array[], speech: (index: number, output: Float32Array) => boolean): GainRun {
  const output: Float32Array[] = [];
  const gainsDb: number[] = [];
  blocks.forEach((block, index) => {
    const out = new Float32Array(BLOCK_SAMPLES);
    agc.process(block, out);
    agc.speechHint(speech(index, out));
    output.push(out);
    gainsDb.push(agc.gainDb);
  });
  return { output, gainsDb };
}

export function peakOf(blocks: readonly Float32Array[]): number {
  return blocks.reduce((largest, block) => Math.max(largest, peak(block)), 0);
}

/** The first block from which the gain stays within `toleranceDb` of its last value. */
export function settledFrom(gainsDb: readonly number[], toleranceDb: number): number {
  const final = gainsDb.at(-1)!;
  let from = gainsDb.length;
  while (from > 0 && Math.abs(gainsDb[from - 1]! - final) < toleranceDb) from--;
  return from;
}
