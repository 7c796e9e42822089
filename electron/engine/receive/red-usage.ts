import type { EncodedFrame } from './unpack.js';

/** Packets in a row that reach less far back, after which the sender is taken to have lowered its RED depth (or turned it off). */
const PACKETS_TO_FORGET = 100;

/**
 * Tracks how far back the sender's RED copies reach. While it sends them, a
 * lost frame's copy arrives that much later, and the target delay grows to
 * wait for it; when the sender stops (it does once loss subsides), it shrinks.
 * The deepest reach holds until 100 packets in a row reach less far: at
 * depth 2 a talkspurt's second packet carries one copy and a copy too large
 * for its packet is left out, and neither should move the schedule.
 * Counted in packets rather than time so silences between talkspurts do not
 * make it forget.
 */
export class RedUsage {
  private depth = 0;
  /** Packets in a row reaching less far than `depth`, and the furthest any of them reached. */
  private shallower = 0;
  private shallowerReach = 0;

  onPacket(redundant: readonly EncodedFrame[], firstOfTalkspurt: boolean): void {
    const reach = redundant.reduce((deepest, block) => Math.max(deepest, block.timestampOffset), 0);
    if (reach > 0 && reach >= this.depth) {
      this.depth = reach;
      this.shallower = this.shallowerReach = 0;
      return;
    }
    // The first packet of a talkspurt never carries redundancy; it says nothing about the sender's choice.
    if (reach === 0 && firstOfTalkspurt) return;
    this.shallowerReach = Math.max(this.shallowerReach, reach);
    if (++this.shallower >= PACKETS_TO_FORGET) {
      this.depth = this.shallowerReach;
      this.shallower = this.shallowerReach = 0;
    }
  }

  /** The sender restarted: nothing is known of its redundancy yet. */
  reset(): void {
    this.depth = 0;
    this.shallower = this.shallowerReach = 0;
  }

  /** Timestamp units between a frame and its furthest RED copy; 0 while RED is off. */
  get depthSamples(): number {
    return this.depth;
  }
}
