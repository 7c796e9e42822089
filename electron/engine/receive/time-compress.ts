import { SAMPLES_PER_MS } from '../audio-format.js';
import { crossfade } from './fades.js';

/** Pitch periods looked for: 2.5–15 ms, i.e. 400 Hz down to 67 Hz voices. */
const MIN_LAG = 2.5 * SAMPLES_PER_MS;
const MAX_LAG = 15 * SAMPLES_PER_MS;
/** The coarse lag search runs on a 4:1 decimated signal, then refines at full rate. */
const DECIMATION = 4;

/**
 * Removes `remove` samples near the start of `pcm` without a click: the first
 * `overlap` samples crossfade into the ones `remove` further on, so the result
 * still starts where `pcm` started and ends where it ended.
 */
export function cutSpan(pcm: Float32Array, remove: number, overlap: number): Float32Array {
  if (remove <= 0 || remove + overlap > pcm.length) return pcm;
  const out = new Float32Array(pcm.length - remove);
  crossfade(pcm, 0, pcm, remove, overlap, out, 0);
  out.set(pcm.subarray(remove + overlap), overlap);
  return out;
}

export interface PitchEstimate {
  /** Samples in one period. */
  lag: number;
  /** Normalised correlation between one period and the next, -1..1. */
  correlation: number;
}

/**
 * The period at which `pcm` best repeats, with lags up to `maxLag`. The window
 * compared is fixed across lags so correlations are comparable.
 */
export function estimatePitch(pcm: Float32Array, maxLag: number): PitchEstimate | undefined {
  const highest = Math.min(MAX_LAG, maxLag, Math.floor(pcm.length / 2));
  if (highest < MIN_LAG) return undefined;
  const window = pcm.length - highest;
  const coarse = decimate(pcm);
  let best = { lag: MIN_LAG, correlation: -Infinity };
  for (let lag = Math.ceil(MIN_LAG / DECIMATION); lag <= Math.floor(highest / DECIMATION); lag++) {
    const correlation = normalisedCorrelation(coarse, lag, Math.floor(window / DECIMATION));
    if (correlation > best.correlation) best = { lag: lag * DECIMATION, correlation };
  }
  const centre = best.lag;
  best = { lag: centre, correlation: -Infinity };
  for (let lag = Math.max(MIN_LAG, centre - DECIMATION + 1); lag <= Math.min(highest, centre + DECIMATION - 1); lag++) {
    const correlation = normalisedCorrelation(pcm, lag, window);
    if (correlation > best.correlation) best = { lag, correlation };
  }
  return best;
}

/** Removes one pitch period, crossfading it into the next: speech sped up, its pitch unchanged. */
export function removePitchPeriod(pcm: Float32Array, lag: number): Float32Array {
  return cutSpan(pcm, lag, lag);
}

/**
 * Adds one pitch period: the second period crossfades back into the first,
 * which then plays again. Speech slowed down, its pitch unchanged, and the
 * result still starts and ends where `pcm` did.
 */
export function insertPitchPeriod(pcm: Float32Array, lag: number): Float32Array {
  if (lag <= 0 || 2 * lag > pcm.length) return pcm;
  const out = new Float32Array(pcm.length + lag);
  out.set(pcm.subarray(0, lag), 0);
  crossfade(pcm, lag, pcm, 0, lag, out, lag);
  out.set(pcm.subarray(lag), 2 * lag);
  return out;
}

function normalisedCorrelation(x: Float32Array, lag: number, window: number): number {
  let cross = 0;
  let energyA = 0;
  let energyB = 0;
  for (let i = 0; i < window; i++) {
    const a = x[i]!;
    const b = x[i + lag]!;
    cross += a * b;
    energyA += a * a;
    energyB += b * b;
  }
  const norm = Math.sqrt(energyA * energyB);
  return norm > 0 ? cross / norm : 0;
}

function decimate(pcm: Float32Array): Float32Array {
  const out = new Float32Array(Math.floor(pcm.length / DECIMATION));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let j = 0; j < DECIMATION; j++) sum += pcm[i * DECIMATION + j]!;
    out[i] = sum / DECIMATION;
  }
  return out;
}
