import { describe, expect, it } from 'vitest';
import { DEFAULT_DELAY_POLICY, DelayManager } from '../../../electron/engine/receive/delay-manager.js';

/** Feeds 20 ms packets sent from `fromMs`; `extra(k)` is packet k's delay beyond the network's best. */
function feed(manager: DelayManager, count: number, extra: (k: number) => number, fromMs = 0, senderClockOffsetMs = 5_000_000): void {
  for (let k = 0; k < count; k++) {
    const sentMs = fromMs + 20 * k;
    manager.onPacket(sentMs + 35 + extra(k), sentMs + senderClockOffsetMs);
  }
}

describe('DelayManager', () => {
  it('holds one frame when the network adds no jitter, whatever the clock offset', () => {
    const manager = new DelayManager();
    feed(manager, 200, () => 0);
    expect(manager.jitterAllowanceMs).toBe(0);
    expect(manager.targetMs(20, 0)).toBe(20);
    expect(manager.targetMs(40, 0)).toBe(40);
  });

  it('covers the 95th percentile of extra delay relative to the fastest recent packet', () => {
    const manager = new DelayManager();
    // Extra delays 0..49 ms, each twice, the first packet the fastest: the 95th of 100 sorted values is 47.
    feed(manager, 100, (k) => (k * 7) % 50);
    expect(manager.jitterAllowanceMs).toBe(47);
    expect(manager.targetMs(20, 0)).toBe(67);
  });

  it('adds the RED distance, so a lost frame’s copy on the next packet arrives in time', () => {
    const manager = new DelayManager();
    feed(manager, 50, () => 0);
    expect(manager.targetMs(20, 20)).toBe(40);
  });

  it('shrinks back to one frame once the jittery packets have left its 5 s history', () => {
    const manager = new DelayManager();
    feed(manager, 250, (k) => (k % 2) * 60); // every other packet 60 ms late, for 5 s
    expect(manager.targetMs(20, 0)).toBe(80);
    feed(manager, 200, () => 0, 5000); // 4 s of calm: the last second of jitter is still 10 % of the history
    expect(manager.targetMs(20, 0)).toBe(80);
    feed(manager, 55, () => 0, 9000); // calm for 5.1 s
    expect(manager.targetMs(20, 0)).toBe(20);
  });

  it('stays within its floor and ceiling', () => {
    const manager = new DelayManager({ ...DEFAULT_DELAY_POLICY, minDelayMs: 60 });
    feed(manager, 10, () => 0);
    expect(manager.targetMs(20, 0)).toBe(60);
    const spiky = new DelayManager();
    feed(spiky, 100, (k) => (k % 2) * 1500);
    expect(spiky.targetMs(20, 0)).toBe(400);
  });

  it('follows slow clock drift instead of mistaking it for jitter', () => {
    const manager = new DelayManager();
    // The sender's clock runs 200 ppm slow for 60 s: transit grows 12 ms in all.
    feed(manager, 3000, (k) => k * 20 * 0.0002);
    expect(manager.targetMs(20, 0)).toBeGreaterThan(20);
    expect(manager.targetMs(20, 0)).toBeLessThan(20.5);
  });

  it('schedules a lasting change of route once, not twice, while its windows catch up', () => {
    const manager = new DelayManager();
    const offset = 5_000_000;
    feed(manager, 100, () => 0, 0, offset);
    const before = manager.playoutTransitMs(20, 0)!;
    expect(before).toBe(35 - offset);
    feed(manager, 12, () => 150, 2000, offset); // 12 of 112 packets (over 5 %) on the slower route
    expect(manager.playoutTransitMs(20, 0)).toBe(before + 150);
    expect(manager.targetMs(20, 0)).toBe(170); // measured from the fastest packet, still of the old route
    feed(manager, 400, () => 150, 2240, offset);
    expect(manager.playoutTransitMs(20, 0)).toBe(before + 150);
    expect(manager.targetMs(20, 0)).toBe(20);
  });

  it('reports the transit of the fastest recent packet', () => {
    const manager = new DelayManager();
    manager.onPacket(1000, 400);
    manager.onPacket(1030, 420);
    expect(manager.fastestTransitMs).toBe(600);
  });
});
