import { describe, expect, it } from 'vitest';
import { markedSignal, markerLatencies } from '../../bench/engine/marker-latency.js';
import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { noise } from '../support/noise-signals.js';

/** Block n handed over at `offsetMs` + 10 n ms, for as many blocks as `samples` fill. */
const blockTimes = (samples: number, offsetMs: number): number[] => Array.from({ length: Math.ceil(samples / BLOCK_SAMPLES) }, (_, n) => offsetMs + 10 * n);

/** What a listener heard: a quieter noise bed, with each marker put back `delays[i]` samples after it was said. */
function heardWith(length: number, marker: Float32Array, starts: readonly number[], delays: readonly (number | undefined)[]): Float32Array {
  const heard = noise(length / 48_000, 0.002, 11);
  starts.forEach((start, i) => {
    const delay = delays[i];
    if (delay !== undefined) for (let k = 0; k < marker.length; k++) heard[start + delay + k]! += marker[k]!;
  });
  return heard;
}

describe('the engine bench’s marker latency', () => {
  it('puts a 20 ms chirp every 500 ms after a second’s lead-in, each at a block’s start', () => {
    const { signal, marker, starts } = markedSignal(2);
    expect(starts).toEqual([48_000, 72_000, 96_000, 120_000]);
    expect(marker.length).toBe(960);
    expect(signal.length).toBe(3.5 * 48_000);
  });

  it('gives each marker’s latency to the sample: the output blocks’ lag plus where in them the marker starts', () => {
    const { signal, marker, starts } = markedSignal(2);
    // Input blocks delivered every 10 ms from 0; output blocks handed over every 10 ms from 3 ms, so a marker heard
    // d samples after it was said has a latency of 3 ms + d / 48.
    const delays = [1_000, 1_010, 2_000, 0];
    const edges = { inputTimes: blockTimes(signal.length, 0), outputTimes: blockTimes(signal.length + 4_800, 3), heard: heardWith(signal.length + 4_800, marker, starts, delays) };
    const latencies = markerLatencies(edges, marker, starts);
    expect(latencies).toHaveLength(4);
    latencies.forEach((latency, i) => expect(latency).toBeCloseTo(3 + delays[i]! / 48, 9));
  });

  it('leaves out a marker that was not heard, and one said after the output stopped', () => {
    const { signal, marker, starts } = markedSignal(2);
    const heard = heardWith(signal.length, marker, starts, [480, undefined, 480, 480]);
    // The output's last block is handed over before the fourth marker is said.
    const outputTimes = blockTimes(starts[3]! - 2 * BLOCK_SAMPLES, 3);
    const latencies = markerLatencies({ inputTimes: blockTimes(signal.length, 0), outputTimes, heard }, marker, starts);
    expect(latencies.map((latency) => Number(latency.toFixed(6)))).toEqual([13, 13]);
  });

  it('refuses a marker that does not start a block', () => {
    const { marker } = markedSignal(1);
    expect(() => markerLatencies({ inputTimes: [0], outputTimes: [0], heard: new Float32Array(960) }, marker, [100])).toThrow('marker at sample 100 does not start a block');
  });
});
