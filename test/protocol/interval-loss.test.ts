import { describe, expect, it } from 'vitest';
import { intervalLossPermille, LOSS_UNKNOWN } from '../../server/protocol/session-messages.js';

describe('interval loss as a receiver report carries it', () => {
  it('is lost over expected in tenths of a percent, rounded; unknown when nothing was expected; never below 0', () => {
    expect([intervalLossPermille(50, 50), intervalLossPermille(50, 45), intervalLossPermille(3, 2), intervalLossPermille(50, 0)]).toEqual([0, 100, 333, 1000]);
    expect([intervalLossPermille(0, 0), intervalLossPermille(-2, 1)]).toEqual([LOSS_UNKNOWN, LOSS_UNKNOWN]);
    expect(intervalLossPermille(10, 12)).toBe(0);
  });
});
