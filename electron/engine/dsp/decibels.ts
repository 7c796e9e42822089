/**
 * Levels in dBFS: 20·log10 of an amplitude against full scale (1.0), so a
 * full-scale sine measures −3 dBFS RMS and 0 dBFS peak.
 */

/** What digital silence reads as, so meters, logs and JSON never see −Infinity. */
export const SILENCE_DB = -100;

const SILENCE_AMPLITUDE = 10 ** (SILENCE_DB / 20);

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

export function amplitudeToDb(amplitude: number): number {
  return amplitude > SILENCE_AMPLITUDE ? 20 * Math.log10(amplitude) : SILENCE_DB;
}

/** For mean-square values, which saves a square root per block. */
export function powerToDb(power: number): number {
  return power > SILENCE_AMPLITUDE * SILENCE_AMPLITUDE ? 10 * Math.log10(power) : SILENCE_DB;
}

/** Mean square of a block (its power against full scale); 0 for an empty block. */
export function meanSquare(pcm: Float32Array): number {
  let squares = 0;
  for (let i = 0; i < pcm.length; i++) squares += pcm[i]! * pcm[i]!;
  return pcm.length > 0 ? squares / pcm.length : 0;
}

/** RMS of a block in dBFS; SILENCE_DB for silence and for an empty block. */
export function rmsDb(pcm: Float32Array): number {
  return pcm.length > 0 ? powerToDb(meanSquare(pcm)) : SILENCE_DB;
}
