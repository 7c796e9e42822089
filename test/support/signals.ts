/**
 * Signal generators and measures shared by the tests and the benchmarks: one
 * copy of each. Mean square and RMS in dBFS come from the engine's own
 * `dsp/decibels.ts`, so a test measures a level exactly as the engine does.
 * Noises for the noise suppressor live in noise-signals.ts.
 */
import { SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import { meanSquare, powerToDb, rmsDb } from '../../electron/engine/dsp/decibels.js';
import { concatSamples } from '../audio/helpers/signal.js';

/** `parts` summed sample by sample (the shortest sets the length). */
export function mix(...parts: Float32Array[]): Float32Array {
  const length = Math.min(...parts.map((part) => part.length));
  const out = new Float32Array(length);
  for (const part of parts) for (let i = 0; i < length; i++) out[i]! += part[i]!;
  return out;
}

/** RMS of samples [from, to); 0 for an empty span. */
export function rms(signal: Float32Array, from = 0, to = signal.length): number {
  return Math.sqrt(meanSquare(signal.subarray(from, to)));
}

/** Sum of squares of samples [from, to), the span clipped to the signal: for ratios between spans of different lengths. */
export function energy(signal: Float32Array | Float64Array, from = 0, to = signal.length): number {
  let sum = 0;
  for (let i = Math.max(0, from); i < Math.min(to, signal.length); i++) sum += signal[i]! * signal[i]!;
  return sum;
}

/**
 * Active speech level in dBFS found from the signal alone: the mean square
 * over its 200 ms segments within 20 dB of the loudest (audio-compare.ts's
 * matchSegments' rule for voiced).
 */
export function activeLevelBySegmentsDb(signal: Float32Array): number {
  const length = SAMPLE_RATE / 5;
  const powers: number[] = [];
  for (let start = 0; start + length <= signal.length; start += length) powers.push(meanSquare(signal.subarray(start, start + length)));
  const loudest = Math.max(...powers);
  const voiced = powers.filter((power) => power >= loudest / 100);
  return powerToDb(voiced.reduce((sum, power) => sum + power, 0) / voiced.length);
}

/** Active speech level in dBFS given which blocks hold speech: the RMS over the blocks flagged together. */
export function activeLevelByFlagsDb(blocks: readonly Float32Array[], flags: readonly boolean[]): number {
  return rmsDb(concatSamples(blocks.filter((_, index) => flags[index])));
}
