/**
 * Raised-cosine gain for sample `i` of an `n`-sample fade-in: smooth at both
 * ends, so a fade or crossfade adds no click of its own. fadeIn + fadeOut = 1.
 */
export function fadeInGain(i: number, n: number): number {
  return 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / n);
}

export function fadeOutGain(i: number, n: number): number {
  return 1 - fadeInGain(i, n);
}

/** Overlap-adds `from` fading out and `to` fading in, `n` samples each, into `out` at `outAt`. */
export function crossfade(
  from: Float32Array,
  fromAt: number,
  to: Float32Array,
  toAt: number,
  n: number,
  out: Float32Array,
  outAt: number,
): void {
  for (let i = 0; i < n; i++) {
    const g = fadeInGain(i, n);
    out[outAt + i] = from[fromAt + i]! * (1 - g) + to[toAt + i]! * g;
  }
}
