import { describe, expect, it } from 'vitest';
import { formatAgo, formatDb, formatPct, meterFraction } from './format.js';

describe('formatting for the views', () => {
  it('places levels on a −70..0 dB meter', () => {
    expect([-100, -70, -35, 0, 6, Number.NEGATIVE_INFINITY, Number.NaN].map(meterFraction)).toEqual([0, 0, 0.5, 1, 1, 0, 0]);
  });

  it('writes dB with a real minus sign', () => {
    expect([-23.4, 0, -0.2, 6].map(formatDb)).toEqual(['\u221223 dB', '0 dB', '0 dB', '+6 dB']);
  });

  it('writes small loss with a decimal', () => {
    expect([0, 0.44, 3.25, 11.5, null].map(formatPct)).toEqual(['0 %', '0.4 %', '3.3 %', '12 %', 'unknown']);
  });

  it('says how long ago', () => {
    const now = 1_000_000_000_000;
    expect([0, 59, 60, 3599, 7200, 86_400 * 3, 86_400 * 16].map((s) => formatAgo(now - s * 1000, now))).toEqual([
      'just now',
      'just now',
      '1 minute ago',
      '59 minutes ago',
      '2 hours ago',
      '3 days ago',
      '2 weeks ago',
    ]);
  });
});
