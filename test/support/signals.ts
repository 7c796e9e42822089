/**
 * Signal generators and measures shared by the tests and the benchmarks: one
 * copy of each. Mean square and RMS in dBFS come from the engine's own
 * `dsp/decibels.ts`, so a test measures a level exactly as the engine does.
 * Noises for the noise suppressor live in noise-signals.ts.
 */
import { BLOCK_SAMPLES, SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import { meanSquare, powerToDb, rmsDb } from '../../electron/engine/dsp/decibels.js';

/** `length` samples of a sine at `sampleRate`, from its sample `startSample` on (so one can carry on where another stopped), `phase` radians ahead. */
export function sineSamples(frequencyHz: number, sampleRate: number, length: number, amplitude: number, startSample = 0, phase = 0): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * (startSample + i)) / sampleRate + phase);
  return out;
}

/** `seconds` of a sine at the engine's 48 kHz. */
export function sine(frequencyHz: number, seconds: number, amplitude: number, startSample = 0): Float32Array {
  return sineSamples(frequencyHz, SAMPLE_RATE, Math.round(seconds * SAMPLE_RATE), amplitude, startSample);
}

export function silence(seconds: number): Float32Array {
  return new Float32Array(Math.round(seconds * SAMPLE_RATE));
}

/** The pieces back to back. */
export function concatSamples(pieces: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(pieces.reduce((n, piece) => n + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** `signal` `times` over, end to end. */
export function repeated(signal: Float32Array, times: number): Float32Array {
  return concatSamples(Array.from({ length: times }, () => signal));
}

/** `parts` summed sample by sample (the shortest sets the length). */
export function mix(...parts: Float32Array[]): Float32Array {
  const length = Math.min(...parts.map((part) => part.length));
  const out = new Float32Array(length);
  for (const part of parts) for (let i = 0; i < length; i++) out[i]! += part[i]!;
  return out;
}

/** Cuts a signal into whole 10 ms blocks (a trailing partial block is dropped). */
export function blocksOf(signal: Float32Array): Float32Array[] {
  const blocks: Float32Array[] = [];
  for (let at = 0; at + BLOCK_SAMPLES <= signal.length; at += BLOCK_SAMPLES) blocks.push(signal.slice(at, at + BLOCK_SAMPLES));
  return blocks;
}

/** The largest magnitude; 0 for an empty signal. */
export function peak(signal: Float32Array | Int16Array): number {
  let largest = 0;
  for (const x of signal) largest = Math.max(largest, Math.abs(x));
  return largest;
}

/** The largest change from one sample to the next: how abrupt a signal's steepest edge is (a click shows as a large one). */
export function largestStep(signal: Float32Array): number {
  let largest = 0;
  for (let i = 1; i < signal.length; i++) largest = Math.max(largest, Math.abs(signal[i]! - signal[i - 1]!));
  return largest;
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

/** An amplitude ratio in dB (unclamped, unlike the engine's amplitudeToDb, so a test sees a true −Infinity). */
export function db(ratio: number): number {
  return 20 * Math.log10(ratio);
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
