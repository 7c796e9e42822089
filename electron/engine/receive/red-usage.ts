import type { EncodedFrame } from './unpack.js';

/** Packets without redundancy, in a row, after which the sender is taken to have turned RED off. */
const PACKETS_TO_FORGET = 100;

/**
 * Tracks how far back the sender's RED copies reach. While it sends them, a
 * lost frame's copy arrives that much later, and the target delay grows to
 * wait for it; when the sender stops (it does once loss subsides), it shrinks.
 * Counted in packets rather than time so silences between talkspurts do not
 * make it forget.
 */
export class RedUsage {
  private depth = 0;
  private withoutRed = 0;

  onPacket(redundant: readonly EncodedFrame[], firstOfTalkspurt: boolean): void {
    if (redundant.length > 0) {
      this.depth = Math.max(...redundant.map((block) => block.timestampOffset));
      this.withoutRed = 0;
      return;
    }
    // The first packet of a talkspurt never carries redundancy; it says nothing about the sender's choice.
    if (firstOfTalkspurt) return;
    if (++this.withoutRed >= PACKETS_TO_FORGET) this.depth = 0;
  }

  /** The sender restarted: nothing is known of its redundancy yet. */
  reset(): void {
    this.depth = 0;
    this.withoutRed = 0;
  }

  /** Timestamp units between a frame and its furthest RED copy; 0 while RED is off. */
  get depthSamples(): number {
    return this.depth;
  }
}
