import { describe, expect, it } from 'vitest';
import { createResampler } from '../../electron/engine/resample/resampler.js';
import { concatSamples, sineSamples } from '../support/signals.js';
import { toneFrequency, toneSnrDb } from './helpers/signal.js';

function streamThrough(resampler: Awaited<ReturnType<typeof createResampler>>, input: Float32Array, chunk: number): Float32Array {
  const pieces: Float32Array[] = [];
  for (let offset = 0; offset < input.length; offset += chunk) pieces.push(resampler.process(input.subarray(offset, offset + chunk)));
  pieces.push(resampler.flush());
  return concatSamples(pieces);
}

describe('resampler', () => {
  it('turns a 1 kHz tone at 44.1 kHz into a 1 kHz tone at 48 kHz with an SNR above 100 dB', async () => {
    const resampler = await createResampler(44_100, 48_000);
    // Two seconds in 10 ms device chunks, as a 44.1 kHz microphone delivers them.
    const out = streamThrough(resampler, sineSamples(1000, 44_100, 88_200, 0.5), 441);
    resampler.destroy();
    expect(out.length).toBe(96_000);
    // Skip the filter's start-up and end; measure the steady middle.
    const middle = out.subarray(4_800, 91_200);
    expect(toneFrequency(middle, 48_000)).toBeCloseTo(1000, 2);
    expect(toneSnrDb(middle, 1000, 48_000)).toBeGreaterThan(100);
  });

  it('keeps the stream length exact for rates that do not divide evenly, in any chunking', async () => {
    for (const [from, to, chunk] of [
      [48_000, 44_100, 480],
      [22_050, 48_000, 97],
      [16_000, 48_000, 1],
      [48_000, 8_000, 333],
    ] as const) {
      const resampler = await createResampler(from, to);
      const out = streamThrough(resampler, sineSamples(440, from, 12_345, 0.5), chunk);
      resampler.destroy();
      expect(out.length, `${from} -> ${to}`).toBe(Math.round((12_345 * to) / from));
    }
  });

  it('passes audio through unchanged when the rates match', async () => {
    const resampler = await createResampler(48_000, 48_000);
    const input = sineSamples(440, 48_000, 480, 0.5);
    const out = resampler.process(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(resampler.flush().length).toBe(0);
  });

  it('rejects sample rates it cannot mean', async () => {
    await expect(createResampler(0, 48_000)).rejects.toThrow(RangeError);
    await expect(createResampler(48_000, Number.NaN)).rejects.toThrow(/Output sample rate/);
  });

  it('refuses to work after destroy()', async () => {
    const resampler = await createResampler(44_100, 48_000);
    resampler.destroy();
    expect(() => resampler.process(new Float32Array(10))).toThrow(/after destroy/);
  });
});
