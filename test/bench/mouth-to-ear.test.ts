import { describe, expect, it } from 'vitest';
import { markedSignal } from '../../bench/engine/marker-latency.js';
import { pairedLatencies } from '../../bench/engine/mouth-to-ear-case.js';
import { noise } from '../support/noise-signals.js';

/** A recording channel: a noise bed with the marker added at each of `at` (samples). */
function channel(length: number, marker: Float32Array, at: readonly number[], seed: number): Float32Array {
  const out = noise(length / 48_000, 0.002, seed);
  for (const start of at) for (let k = 0; k < marker.length; k++) out[start + k]! += marker[k]!;
  return out;
}

describe('the mouth-to-ear bench’s pairing of the two channels', () => {
  it('gives each marker’s latency from mouth to ear to the sample, wherever the recording began', () => {
    const { marker, starts } = markedSignal(2);
    // The recording began 0.3 s into the played signal, so the mouth holds each marker 14 400 samples early.
    const mouthAt = starts.map((start) => start - 14_400);
    const delays = [3_840, 3_841, 4_800, 5_000];
    const length = 4 * 48_000;
    const mouth = channel(length, marker, mouthAt, 3);
    const ear = channel(length, marker, mouthAt.map((at, i) => at + delays[i]!), 5);
    expect(pairedLatencies(mouth, ear, marker, starts)).toEqual(delays.map((delay) => delay / 48));
  });

  it('leaves out a marker the ear never heard, and one "heard" sooner than anything can cross the call', () => {
    const { marker, starts } = markedSignal(2);
    const length = 4 * 48_000;
    const mouth = channel(length, marker, starts, 3);
    // The second arrives 5 ms after it was made (an echo of the mouth, not the call); the third never arrives.
    const ear = channel(length, marker, [starts[0]! + 4_000, starts[1]! + 240, starts[3]! + 4_000], 5);
    expect(pairedLatencies(mouth, ear, marker, starts)).toEqual([4_000 / 48, 4_000 / 48]);
  });

  it('finds nothing when the mouth never got a marker', () => {
    const { marker, starts } = markedSignal(1);
    expect(pairedLatencies(new Float32Array(96_000), new Float32Array(96_000), marker, starts)).toEqual([]);
  });
});
