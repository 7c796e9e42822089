import { describe, expect, it } from 'vitest';
import { matchSegments, spectralScorer, waveformScorer } from './audio-compare.js';
import { whiteNoise } from './noise-signals.js';

const RATE = 48_000;

/** Tones at `frequencies`, each at the phase `phase(index)`, switched on and off every 200 ms in turn, so segments differ. */
function tones(frequencies: readonly number[], length: number, phase: (index: number) => number): Float32Array {
  return Float32Array.from({ length }, (_, i) => {
    const segment = Math.floor(i / (RATE / 5));
    return frequencies.reduce((sum, frequency, index) => (index % 3 === segment % 3 ? sum : sum + 0.2 * Math.sin((2 * Math.PI * frequency * i) / RATE + phase(index))), 0);
  });
}

describe('the spectral scorer', () => {
  const length = RATE * 2;
  const sent = tones([220, 470, 1130, 2410, 4020], length, () => 0);

  it('scores an exact copy, at any gain, 1', () => {
    const scoreAt = spectralScorer()(sent.subarray(9_600, 19_200));
    expect(scoreAt(sent, 9_600)).toBeCloseTo(1, 12);
    expect(scoreAt(sent.map((x) => x * 0.25), 9_600)).toBeCloseTo(1, 12);
  });

  it('scores a copy with every tone shifted by a quarter turn near 1, where the waveform correlation reads it as unrelated', () => {
    const shifted = tones([220, 470, 1130, 2410, 4020], length, (index) => (index % 2 === 0 ? Math.PI / 2 : -Math.PI / 2));
    const segment = sent.subarray(9_600, 19_200);
    expect(spectralScorer()(segment)(shifted, 9_600)).toBeGreaterThan(0.99);
    expect(Math.abs(waveformScorer(segment)(shifted, 9_600))).toBeLessThan(0.1);
  });

  it('scores other tones and noise low', () => {
    const scoreAt = spectralScorer()(sent.subarray(9_600, 19_200));
    expect(scoreAt(tones([330, 700, 1600, 3200, 6000], length, () => 0), 9_600)).toBeLessThan(0.3);
    expect(scoreAt(whiteNoise(length, -20, 1), 9_600)).toBeLessThan(0.3);
  });

  it('through matchSegments finds a delayed, phase-shifted copy in every segment', () => {
    const delay = 428;
    const shifted = tones([220, 470, 1130, 2410, 4020], length + delay, (index) => (index % 2 === 0 ? Math.PI / 2 : -Math.PI / 2));
    const heard = new Float32Array(length + delay);
    heard.set(shifted.subarray(0, length), delay);
    const match = matchSegments(heard, sent, 0, { scorer: spectralScorer(), searchStep: 24 });
    // Ten 200 ms segments, all voiced.
    expect(match.segments).toBe(10);
    expect(match.lowDecileCorrelation).toBeGreaterThan(0.95);
    // Unaligned by 428 samples (the search's ±40 ms would have found it), it scores less.
    expect(matchSegments(heard, sent, 0, { scorer: spectralScorer(), searchMs: 0 }).medianCorrelation).toBeLessThan(match.lowDecileCorrelation);
  });

  it('refuses a segment shorter than its frame', () => {
    expect(() => spectralScorer()(new Float32Array(1_000))).toThrow('spectralScorer needs segments of at least 1024 samples; got 1000');
  });
});
