/**
 * Comparing what was sent with what was heard, robustly: audio through a
 * real-time path may slip by a few milliseconds mid-stream (the receiver
 * compresses or stretches to hold its delay), which ruins one global
 * correlation but not a segment-by-segment one.
 */

/** Normalised correlation of `reference` against `signal` starting at `at` (0 outside the signal). */
export function correlationAt(signal: Float32Array, reference: Float32Array, at: number): number {
  let product = 0;
  let signalEnergy = 0;
  let referenceEnergy = 0;
  for (let i = 0; i < reference.length; i++) {
    const s = signal[at + i] ?? 0;
    const r = reference[i]!;
    product += s * r;
    signalEnergy += s * s;
    referenceEnergy += r * r;
  }
  return signalEnergy === 0 || referenceEnergy === 0 ? 0 : product / Math.sqrt(signalEnergy * referenceEnergy);
}

export interface SegmentMatch {
  /** Median over voiced segments of each segment's best correlation near the expected place. */
  medianCorrelation: number;
  /** The tenth percentile of the same: the damaged segments, which loss shows in first. */
  lowDecileCorrelation: number;
  /** Voiced segments compared. */
  segments: number;
}

/**
 * Cuts the sent audio into segments, skips the quiet ones, and finds each
 * voiced segment's best normalised correlation in `heard` within ±searchMs
 * of where the global alignment puts it.
 */
export function matchSegments(heard: Float32Array, sent: Float32Array, lag: number, options: { segmentMs?: number; searchMs?: number; sampleRate?: number } = {}): SegmentMatch {
  const rate = options.sampleRate ?? 48_000;
  const length = Math.round(((options.segmentMs ?? 200) * rate) / 1000);
  const search = Math.round(((options.searchMs ?? 40) * rate) / 1000);
  let peakEnergy = 0;
  const energies: number[] = [];
  for (let start = 0; start + length <= sent.length; start += length) {
    let energy = 0;
    for (let i = start; i < start + length; i++) energy += sent[i]! * sent[i]!;
    energies.push(energy);
    peakEnergy = Math.max(peakEnergy, energy);
  }
  const scores: number[] = [];
  energies.forEach((energy, index) => {
    // Voiced: within 20 dB of the loudest segment.
    if (energy < peakEnergy / 100) return;
    const segment = sent.subarray(index * length, (index + 1) * length);
    let best = 0;
    for (let shift = -search; shift <= search; shift += 12) best = Math.max(best, correlationAt(heard, segment, lag + index * length + shift));
    scores.push(best);
  });
  scores.sort((a, b) => a - b);
  const at = (share: number): number => (scores.length ? scores[Math.floor(scores.length * share)]! : 0);
  return { medianCorrelation: at(0.5), lowDecileCorrelation: at(0.1), segments: scores.length };
}
