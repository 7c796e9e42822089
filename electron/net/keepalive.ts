import { LIMITS, TIMING } from '../../server/protocol/constants.js';
import type { Ping, ReceiverReport } from '../../server/protocol/session-messages.js';

/** How many ping intervals of silence mean the relay is gone. */
export const SILENT_PINGS_BEFORE_LOST = 3;

/** A ping unanswered this long never will be: forgotten, so the table stays small. */
export const FORGET_PING_AFTER_MS = 30_000;

/** Weight of each new round trip in the smoothed one. */
const RTT_SMOOTHING = 0.2;

/**
 * Keepalive and round-trip time for one client's link to its relay: builds
 * each PING (numbered, with receiver reports), times the PONG that echoes it,
 * and says when the relay has been silent too long. The caller runs the
 * interval timer and passes the time in.
 */
export class Keepalive {
  private nextPingId = 1;
  private readonly sentAt = new Map<number, number>();
  private lastHeardAt = 0;
  private smoothedRttMs: number | undefined;
  private interval: number = TIMING.pingIntervalMs;

  /** A new session with the relay's ping interval: nothing outstanding, just heard from. The RTT carries over. */
  restart(intervalMs: number, now: number): void {
    this.interval = intervalMs;
    this.sentAt.clear();
    this.lastHeardAt = now;
  }

  get intervalMs(): number {
    return this.interval;
  }

  /** Smoothed round-trip time, undefined until the first PONG. */
  get rttMs(): number | undefined {
    return this.smoothedRttMs;
  }

  /** Something authenticated arrived from the relay. */
  heard(now: number): void {
    this.lastHeardAt = now;
  }

  /** What the interval timer does now: ping, or give up on a relay silent for SILENT_PINGS_BEFORE_LOST intervals. */
  onInterval(now: number): 'ping' | 'lost' {
    return now - this.lastHeardAt > this.interval * SILENT_PINGS_BEFORE_LOST ? 'lost' : 'ping';
  }

  /** The next PING, to send now; it carries at most LIMITS.maxReportEntries reports. */
  ping(now: number, reports: readonly ReceiverReport[]): Ping {
    const pingId = this.nextPingId++;
    this.sentAt.set(pingId, now);
    for (const [id, at] of this.sentAt) if (now - at > FORGET_PING_AFTER_MS) this.sentAt.delete(id);
    return { kind: 'ping', pingId, reports: reports.slice(0, LIMITS.maxReportEntries) };
  }

  /** A PONG arrived: the round trip it measured, or undefined for a ping we did not send (or already timed). */
  onPong(pingId: number, now: number): number | undefined {
    const sentAt = this.sentAt.get(pingId);
    if (sentAt === undefined) return undefined;
    this.sentAt.delete(pingId);
    const rtt = now - sentAt;
    this.smoothedRttMs = this.smoothedRttMs === undefined ? rtt : this.smoothedRttMs * (1 - RTT_SMOOTHING) + rtt * RTT_SMOOTHING;
    return rtt;
  }
}
