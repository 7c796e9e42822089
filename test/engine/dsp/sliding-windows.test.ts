import { describe, expect, it } from 'vitest';
import { SlidingMinimum } from '../../../electron/engine/dsp/sliding-minimum.js';
import { SlidingQuantile } from '../../../electron/engine/dsp/sliding-quantile.js';

describe('SlidingMinimum', () => {
  it('is the minimum of the last window, forgetting older values', () => {
    const min = new SlidingMinimum(100, 16);
    expect(min.min).toBeUndefined();
    expect(min.push(0, 5)).toBe(5);
    expect(min.push(10, 3)).toBe(3);
    expect(min.push(20, 7)).toBe(3);
    expect(min.push(110, 9)).toBe(3); // 3 (at 10) is exactly 100 old: still in the window
    expect(min.push(111, 9)).toBe(7); // now it is older
    expect(min.min).toBe(7);
  });

  it('matches a brute-force minimum over every window of the last five samples', () => {
    const window = new SlidingMinimum(4, 5);
    let state = 99;
    const values: number[] = [];
    for (let i = 0; i < 2000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values.push(state % 17);
      expect(window.push(i, values[i]!)).toBe(Math.min(...values.slice(Math.max(0, i - 4), i + 1)));
    }
  });

  it('stays within its capacity, forgetting the oldest first', () => {
    const min = new SlidingMinimum(1e9, 4);
    for (let i = 0; i < 10; i++) min.push(i, 100 + i); // increasing: every value stays a candidate
    expect(min.min).toBe(106);
  });

  it('starts afresh after a reset', () => {
    const min = new SlidingMinimum(10, 4);
    min.push(0, 1);
    min.reset();
    expect(min.min).toBeUndefined();
    expect(min.push(0, 8)).toBe(8);
  });
});

describe('SlidingQuantile', () => {
  it('gives exact order statistics of the window', () => {
    const q = new SlidingQuantile(1000, 4096);
    expect(q.quantile(0.5)).toBeUndefined();
    [5, 1, 4, 2, 3].forEach((value, i) => q.add(i, value));
    expect([q.quantile(0.2), q.quantile(0.5), q.quantile(0.95), q.quantile(1)]).toEqual([1, 3, 5, 5]);
    q.add(1002, 10); // 5 (at 0) and 1 (at 1) fall out of the window
    expect(q.size).toBe(4);
    expect([q.quantile(0.25), q.quantile(1)]).toEqual([2, 10]);
  });

  it('handles equal values and a full capacity', () => {
    const q = new SlidingQuantile(1e9, 3);
    [7, 7, 7, 1].forEach((value, i) => q.add(i, value));
    expect(q.size).toBe(3);
    expect([q.quantile(0.3), q.quantile(1)]).toEqual([1, 7]);
  });
});
