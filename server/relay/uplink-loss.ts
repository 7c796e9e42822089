import { extendSequence } from '../protocol/rtp.js';
import { intervalLossPermille } from '../protocol/session-messages.js';

/**
 * Loss of one member's media on its way to the relay, from RTP sequence
 * numbers (readable in the clear even when media is encrypted). Measured per
 * reporting interval, as an RTCP receiver report's "fraction lost" is.
 */
export class UplinkLossMeter {
  private highest = -1;
  private intervalStart = -1;
  private received = 0;

  onPacket(sequence: number): void {
    const index = extendSequence(this.highest, sequence);
    if (this.highest < 0) this.intervalStart = index - 1;
    if (index > this.highest) this.highest = index;
    this.received++;
  }

  /** Loss in tenths of a percent since the last call, then starts a new interval. */
  takePermille(): number {
    const expected = this.highest - this.intervalStart;
    const received = this.received;
    this.intervalStart = this.highest;
    this.received = 0;
    return intervalLossPermille(expected, received);
  }
}
