import { describe, expect, it } from 'vitest';
import { FORGET_PING_AFTER_MS, Keepalive, SILENT_PINGS_BEFORE_LOST } from '../../electron/net/keepalive.js';
import { LIMITS } from '../../server/protocol/constants.js';
import { ManualClock } from '../../server/shared/clock.js';

const reports = (count: number): { ssrc: number; lossPermille: number; jitterMs: number }[] =>
  Array.from({ length: count }, (_, ssrc) => ({ ssrc, lossPermille: 0, jitterMs: 1 }));

describe('Keepalive', () => {
  it('numbers its pings and carries at most LIMITS.maxReportEntries receiver reports', () => {
    const keepalive = new Keepalive();
    keepalive.restart(2_000, 0);
    expect(keepalive.ping(0, reports(3))).toEqual({ kind: 'ping', pingId: 1, reports: reports(3) });
    const full = keepalive.ping(0, reports(LIMITS.maxReportEntries + 6));
    expect(full.pingId).toBe(2);
    expect(full.reports).toEqual(reports(LIMITS.maxReportEntries));
  });

  it('times each PONG against its own ping and smooths the round trip (1/5 weight to the newest)', () => {
    const clock = new ManualClock(1_000);
    const keepalive = new Keepalive();
    keepalive.restart(2_000, clock.now());
    const first = keepalive.ping(clock.now(), []).pingId;
    clock.advance(10);
    const second = keepalive.ping(clock.now(), []).pingId;
    expect(keepalive.rttMs).toBeUndefined();
    clock.advance(30);
    expect(keepalive.onPong(first, clock.now())).toBe(40);
    expect(keepalive.rttMs).toBe(40);
    clock.advance(50);
    expect(keepalive.onPong(second, clock.now())).toBe(80);
    expect(keepalive.rttMs).toBe(40 * 0.8 + 80 * 0.2);
    // A duplicate PONG, and one for a ping never sent, measure nothing.
    expect(keepalive.onPong(second, clock.now())).toBeUndefined();
    expect(keepalive.onPong(99, clock.now())).toBeUndefined();
    expect(keepalive.rttMs).toBe(40 * 0.8 + 80 * 0.2);
  });

  it(`forgets a ping unanswered for ${FORGET_PING_AFTER_MS} ms`, () => {
    const keepalive = new Keepalive();
    keepalive.restart(2_000, 0);
    const old = keepalive.ping(0, []).pingId;
    const kept = keepalive.ping(1, []).pingId;
    keepalive.ping(FORGET_PING_AFTER_MS + 1, []);
    expect(keepalive.onPong(old, FORGET_PING_AFTER_MS + 2)).toBeUndefined();
    expect(keepalive.onPong(kept, FORGET_PING_AFTER_MS + 2)).toBe(FORGET_PING_AFTER_MS + 1);
  });

  it(`gives up on a relay silent for more than ${SILENT_PINGS_BEFORE_LOST} ping intervals, counting from the last thing heard`, () => {
    const keepalive = new Keepalive();
    keepalive.restart(2_000, 0);
    expect(keepalive.onInterval(6_000)).toBe('ping');
    expect(keepalive.onInterval(6_001)).toBe('lost');
    keepalive.heard(5_000);
    expect(keepalive.onInterval(11_000)).toBe('ping');
    expect(keepalive.onInterval(11_001)).toBe('lost');
  });

  it('starts a new session with its own interval and nothing outstanding, keeping the round trip', () => {
    const keepalive = new Keepalive();
    keepalive.restart(2_000, 0);
    const before = keepalive.ping(0, []).pingId;
    expect(keepalive.onPong(keepalive.ping(0, []).pingId, 20)).toBe(20);
    keepalive.restart(500, 10_000);
    expect(keepalive.intervalMs).toBe(500);
    expect(keepalive.onPong(before, 10_010)).toBeUndefined();
    expect(keepalive.rttMs).toBe(20);
    expect(keepalive.onInterval(11_500)).toBe('ping');
    expect(keepalive.onInterval(11_501)).toBe('lost');
    // Ping ids go on, so a late PONG from the last session cannot be taken for one of this.
    expect(keepalive.ping(10_000, []).pingId).toBe(3);
  });
});
