import { describe, expect, it } from 'vitest';
import { SlidingMin } from '../../../electron/engine/receive/sliding-min.js';
import { SlidingQuantile } from '../../../electron/engine/receive/sliding-quantile.js';

describe('SlidingMin', () => {
  it('is the minimum of the last window, forgetting older values', () => {
    const min = new SlidingMin(100);
    expect(min.min).toBeUndefined();
    min.add(0, 5);
    min.add(10, 3);
    min.add(20, 7);
    expect(min.min).toBe(3);
    min.add(111, 9); // 3 (at 10) is now more than 100 old
    expect(min.min).toBe(7);
  });

  it('stays within its capacity, forgetting the oldest first', () => {
    const min = new SlidingMin(1e9, 4);
    for (let i = 0; i < 10; i++) min.add(i, 100 + i); // increasing: every value stays a candidate
    expect(min.min).toBe(106);
  });
});

describe('SlidingQuantile', () => {
  it('gives exact order statistics of the window', () => {
    const q = new SlidingQuantile(1000);
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
