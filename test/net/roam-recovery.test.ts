import { describe, expect, it } from 'vitest';
import { RESEND_WINDOW_MS, ROAM_PING_SPACING_MS, RoamRecovery } from '../../electron/net/roam-recovery.js';
import { ManualClock } from '../../server/shared/clock.js';

/** A stand-in datagram that says which packet it is. */
const packet = (sequence: number): Uint8Array => Uint8Array.of(sequence >> 8, sequence & 0xff);
const sequences = (datagrams: Uint8Array[]): number[] => datagrams.map((d) => (d[0]! << 8) | d[1]!);

/** Sends packets `first`…`last` one every 20 ms, as a talker does. */
function talk(recovery: RoamRecovery, clock: ManualClock, first: number, last: number): void {
  for (let sequence = first; ; sequence = (sequence + 1) & 0xffff) {
    recovery.recordSent(sequence, packet(sequence), clock.now());
    if (sequence === last) return;
    clock.advance(20);
  }
}

/** A fresh recovery on a clock at `startMs` that has sent `first`…`last`. */
function afterTalking(first: number, last: number, startMs = 0): { recovery: RoamRecovery; clock: ManualClock } {
  const clock = new ManualClock(startMs);
  const recovery = new RoamRecovery();
  talk(recovery, clock, first, last);
  return { recovery, clock };
}

describe('RoamRecovery', () => {
  it('pings at once and sends again every packet from the refused one on, each once', () => {
    const { recovery, clock } = afterTalking(100, 110, 1_000);
    // The relay refused 107 (the first from the new address); 108–110 left before we heard.
    expect(recovery.onRefused(107, clock.now())).toEqual({ ping: true, resend: [packet(107), packet(108), packet(109), packet(110)] });
    // 108 was in flight too and is refused a moment later: already sent again, and the ping is on its way.
    clock.advance(5);
    expect(recovery.onRefused(108, clock.now())).toEqual({ ping: false, resend: [] });
  });

  it('spaces the pings notices prompt by ROAM_PING_SPACING_MS', () => {
    const { recovery, clock } = afterTalking(1, 20);
    expect(recovery.onRefused(20, clock.now()).ping).toBe(true);
    clock.advance(ROAM_PING_SPACING_MS - 1);
    expect(recovery.onRefused(20, clock.now()).ping).toBe(false);
    clock.advance(1);
    expect(recovery.onRefused(20, clock.now()).ping).toBe(true);
  });

  it('holds packets for RESEND_WINDOW_MS and no longer', () => {
    const { recovery, clock } = afterTalking(1, 30); // sent at 0, 20, … 580 ms
    // At 580 ms the window reaches back to 80 ms: packet 5 (sent at 80) is the oldest still held.
    expect(clock.now()).toBe(580);
    expect(RESEND_WINDOW_MS).toBe(500);
    const { resend } = recovery.onRefused(1, clock.now());
    expect(sequences(resend)).toEqual(Array.from({ length: 26 }, (_, i) => i + 5));
  });

  it('follows sequence numbers across the wrap, and ignores a refused sequence it never sent', () => {
    const { recovery, clock } = afterTalking(65_533, 2); // 65533, 65534, 65535, 0, 1, 2
    expect(sequences(recovery.onRefused(65_535, clock.now()).resend)).toEqual([65_535, 0, 1, 2]);
    const fresh = new RoamRecovery();
    talk(fresh, clock, 10, 12);
    expect(fresh.onRefused(40, clock.now())).toEqual({ ping: true, resend: [] });
  });

  it('starts over for a new session', () => {
    const { recovery, clock } = afterTalking(1, 3);
    expect(recovery.onRefused(1, clock.now()).ping).toBe(true);
    recovery.clear();
    expect(recovery.onRefused(1, clock.now())).toEqual({ ping: true, resend: [] });
  });
});
