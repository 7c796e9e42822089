import { describe, expect, it } from 'vitest';
import { quantile, round } from '../../bench/engine/stats.js';

describe('the engine bench’s statistics', () => {
  it('takes quantiles by nearest rank, whatever order the values come in', () => {
    const values = [40, 10, 30, 20, 50, 60, 70, 80, 90, 100];
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.95)).toBe(100);
    expect(quantile(values, 0.1)).toBe(10);
    expect(quantile(values, 0.11)).toBe(20);
    expect(quantile(values, 0)).toBe(10);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([7], 0.95)).toBe(7);
    expect(values).toEqual([40, 10, 30, 20, 50, 60, 70, 80, 90, 100]);
  });

  it('gives NaN for the quantile of nothing', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('rounds to the given digits, one by default', () => {
    expect(round(33.44)).toBe(33.4);
    expect(round(33.46)).toBe(33.5);
    expect(round(26.666_666, 2)).toBe(26.67);
    expect(round(-0.04)).toBe(-0);
    expect(round(12)).toBe(12);
  });
});
