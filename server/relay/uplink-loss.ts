import { extendSequence } from '../protocol/rtp.js';
import { intervalLossPermille } from '../protocol/session-messages.js';

/** What a meter has counted since the member joined: enough for another thread's copy to carry on from. */
export interface UplinkTally {
  /** The extended sequence number just before the first packet seen. */
  first: number;
  /** The highest extended RTP sequence number seen, or -1 before the first packet. */
  highest: number;
  /** Packets received in all. */
  received: number;
}

/**
 * Loss of one member's media on its way to the relay, from RTP sequence
 * numbers (readable in the clear even when media is encrypted). Measured per
 * reporting interval, as an RTCP receiver report's "fraction lost" is.
 *
 * The counts are cumulative so that where a member's media is forwarded (one
 * worker of several) and where its pings are answered (the main thread) can
 * each keep a copy: the forwarding side counts, the other adopts its tally.
 */
export class UplinkLossMeter {
  private first = -1;
  private highest = -1;
  private received = 0;
  private intervalStart = -1;
  private receivedAtIntervalStart = 0;

  onPacket(sequence: number): void {
    const index = extendSequence(this.highest, sequence);
    if (this.highest < 0) this.first = this.intervalStart = index - 1;
    if (index > this.highest) this.highest = index;
    this.received++;
  }

  tally(): UplinkTally {
    return { first: this.first, highest: this.highest, received: this.received };
  }

  /**
   * Takes on another copy's counts; the current interval carries on across them. A copy that has
   * received less is behind this one (a report from a worker the member has since left): ignored.
   */
  adopt(tally: UplinkTally): void {
    if (tally.highest < 0 || tally.received <= this.received) return;
    // Counted elsewhere from the start: this copy's first interval begins where that copy's did.
    if (this.highest < 0) this.first = this.intervalStart = tally.first;
    this.highest = tally.highest;
    this.received = tally.received;
  }

  /** Loss in tenths of a percent since the last call, then starts a new interval. */
  takePermille(): number {
    const expected = this.highest - this.intervalStart;
    const received = this.received - this.receivedAtIntervalStart;
    this.intervalStart = this.highest;
    this.receivedAtIntervalStart = this.received;
    return intervalLossPermille(expected, received);
  }
}
