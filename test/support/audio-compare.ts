/**
 * Comparing what was sent with what was heard, robustly: audio through a
 * real-time path may slip by a few milliseconds mid-stream (the receiver
 * compresses or stretches to hold its delay), which ruins one global
 * correlation but not a segment-by-segment one.
 */
import FFT from 'fft.js';

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
 * How one sent segment is scored against the heard audio at a position: made
 * once per segment, so a scorer can prepare the segment (its spectrum, say)
 * before the search tries many positions.
 */
export type SegmentScorer = (segment: Float32Array) => (heard: Float32Array, at: number) => number;

/** The waveform's normalised correlation: exact copies score 1, and so does nothing whose phase was shifted. */
export const waveformScorer: SegmentScorer = (segment) => (heard, at) => correlationAt(heard, segment, at);

export interface MatchOptions {
  segmentMs?: number;
  searchMs?: number;
  sampleRate?: number;
  /** Default waveformScorer. */
  scorer?: SegmentScorer;
  /** Step of the search in samples (default 12, a quarter of a millisecond). */
  searchStep?: number;
}

/**
 * Cuts the sent audio into segments, skips the quiet ones, and finds each
 * voiced segment's best score (by default its normalised correlation) in
 * `heard` within ±searchMs of where the global alignment puts it.
 */
export function matchSegments(heard: Float32Array, sent: Float32Array, lag: number, options: MatchOptions = {}): SegmentMatch {
  const rate = options.sampleRate ?? 48_000;
  const length = Math.round(((options.segmentMs ?? 200) * rate) / 1000);
  const search = Math.round(((options.searchMs ?? 40) * rate) / 1000);
  const step = options.searchStep ?? 12;
  const scorer = options.scorer ?? waveformScorer;
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
    const scoreAt = scorer(sent.subarray(index * length, (index + 1) * length));
    let best = 0;
    for (let shift = -search; shift <= search; shift += step) best = Math.max(best, scoreAt(heard, lag + index * length + shift));
    scores.push(best);
  });
  scores.sort((a, b) => a - b);
  const at = (share: number): number => (scores.length ? scores[Math.floor(scores.length * share)]! : 0);
  return { medianCorrelation: at(0.5), lowDecileCorrelation: at(0.1), segments: scores.length };
}

const FRAME = 1024;
const HOP = FRAME / 2;
const BANDS = 24;
const LOWEST_HZ = 100;
const HIGHEST_HZ = 8_000;
/** Band energies more than 60 dB under the loudest count as that: silence's rounding noise would otherwise weigh in. */
const FLOOR_BELOW_PEAK = 1e-6;

/**
 * Scores a segment by the correlation of its log-magnitude spectrogram (20 ms
 * Hann frames, 24 log-spaced bands from 100 Hz to 8 kHz) with the heard
 * audio's: what a listener recognises, blind to phase and to gain. An echo
 * canceller's band filters shift the phase of what they pass, which the
 * waveform correlation reads as damage and this does not.
 */
export function spectralScorer(sampleRate = 48_000): SegmentScorer {
  const fft = new FFT(FRAME);
  const window = Float64Array.from({ length: FRAME }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME));
  const edges = Array.from({ length: BANDS + 1 }, (_, band) => Math.round(((LOWEST_HZ * (HIGHEST_HZ / LOWEST_HZ) ** (band / BANDS)) * FRAME) / sampleRate));
  const frame = new Float64Array(FRAME);
  const spectrum = fft.createComplexArray() as number[];
  const logSpectrogram = (signal: Float32Array, from: number, length: number): Float64Array => {
    const frames = Math.floor((length - FRAME) / HOP) + 1;
    const energies = new Float64Array(frames * BANDS);
    for (let f = 0; f < frames; f++) {
      for (let i = 0; i < FRAME; i++) frame[i] = (signal[from + f * HOP + i] ?? 0) * window[i]!;
      fft.realTransform(spectrum, frame);
      for (let band = 0; band < BANDS; band++) {
        let energy = 0;
        // Narrow low bands get at least their one bin.
        for (let bin = edges[band]!; bin < Math.max(edges[band + 1]!, edges[band]! + 1); bin++) energy += spectrum[2 * bin]! ** 2 + spectrum[2 * bin + 1]! ** 2;
        energies[f * BANDS + band] = energy;
      }
    }
    const floor = Math.max(...energies) * FLOOR_BELOW_PEAK;
    return energies.map((energy) => Math.log10(Math.max(energy, floor, Number.MIN_VALUE)));
  };
  return (segment) => {
    if (segment.length < FRAME) throw new Error(`spectralScorer needs segments of at least ${FRAME} samples; got ${segment.length}`);
    const sent = logSpectrogram(segment, 0, segment.length);
    return (heard, at) => pearson(sent, logSpectrogram(heard, at, segment.length));
  };
}

function pearson(a: Float64Array, b: Float64Array): number {
  const mean = (x: Float64Array): number => x.reduce((sum, v) => sum + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let product = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    product += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return aa === 0 || bb === 0 ? 0 : product / Math.sqrt(aa * bb);
}
