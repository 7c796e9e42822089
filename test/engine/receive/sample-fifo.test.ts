import { describe, expect, it } from 'vitest';
import { SampleFifo } from '../../../electron/engine/receive/sample-fifo.js';

describe('SampleFifo', () => {
  it('hands samples out in order across pushes, and says where they came from', () => {
    const fifo = new SampleFifo(8);
    fifo.push(Float32Array.of(1, 2, 3), 'decoded');
    fifo.push(Float32Array.of(4, 5), 'concealed');
    fifo.pushSilence(2);
    const out = new Float32Array(4);
    expect(fifo.take(out, 0, 4)).toEqual({ decoded: 3, concealed: 1 });
    expect(out).toEqual(Float32Array.of(1, 2, 3, 4));
    fifo.push(Float32Array.of(6, 7, 8, 9, 10, 11), 'decoded'); // wraps past the initial capacity: it compacts, then grows
    expect(fifo.length).toBe(9);
    const rest = new Float32Array(9);
    expect(fifo.take(rest, 0, 9)).toEqual({ decoded: 6, concealed: 1 });
    expect(rest).toEqual(Float32Array.of(5, 0, 0, 6, 7, 8, 9, 10, 11));
    expect(fifo.length).toBe(0);
  });

  it('splices with a crossfade: the held tail fades out as the new samples fade in', () => {
    const fifo = new SampleFifo();
    fifo.push(new Float32Array(4).fill(1), 'decoded');
    fifo.pushCrossfaded(new Float32Array(6).fill(-1), 2, 'decoded');
    expect(fifo.length).toBe(8);
    const out = new Float32Array(8);
    fifo.take(out, 0, 8);
    expect(Array.from(out.subarray(0, 2))).toEqual([1, 1]);
    expect(out[2]!).toBeGreaterThan(0);
    expect(out[3]!).toBeLessThan(0);
    expect(Array.from(out.subarray(4))).toEqual([-1, -1, -1, -1]);
  });

  it('fades a tail out and a range in, smoothly and to zero', () => {
    const fifo = new SampleFifo();
    fifo.push(new Float32Array(10).fill(1), 'decoded');
    fifo.fadeOutTail(4);
    fifo.fadeInRange(0, 4);
    const out = new Float32Array(10);
    fifo.take(out, 0, 10);
    expect(out[0]!).toBeLessThan(0.2);
    expect(out[3]!).toBeGreaterThan(0.8);
    expect(Array.from(out.subarray(4, 6))).toEqual([1, 1]);
    expect(out[6]!).toBeGreaterThan(0.8);
    expect(out[9]!).toBeLessThan(0.2);
    for (let i = 1; i < 4; i++) expect(out[i]!).toBeGreaterThan(out[i - 1]!);
  });
});
