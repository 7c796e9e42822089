/** RMS of `pcm[from..to)` in dBFS (full scale = 1.0); -Infinity for silence. */
export function rmsDb(pcm: Float32Array, from = 0, to = pcm.length): number {
  if (to <= from) return -Infinity;
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i]! * pcm[i]!;
  return 10 * Math.log10(sum / (to - from));
}
