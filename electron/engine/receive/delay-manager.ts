import { SlidingMin } from './sliding-min.js';
import { WindowedHistogram } from './windowed-histogram.js';

export interface DelayPolicy {
  /** The target never exceeds this. */
  maxDelayMs: number;
  /** The target never drops below this (a user's "extra buffering"); one frame is always the floor. */
  minDelayMs: number;
  /** Share of packets whose extra network delay the target must cover. */
  quantile: number;
  /** How long a measured delay keeps counting: the time the target takes to shrink after the network calms. */
  historyMs: number;
  /** The "fastest recent packet" that relative delays are measured against is looked for this far back. */
  referenceWindowMs: number;
}

export const DEFAULT_DELAY_POLICY: DelayPolicy = {
  maxDelayMs: 400,
  minDelayMs: 0,
  quantile: 0.95,
  historyMs: 5_000,
  referenceWindowMs: 2_000,
};

/**
 * Estimates how much audio the receiver must hold to ride out network jitter.
 *
 * Each packet's transit (arrival time minus its RTP time) is compared with the
 * fastest packet of the last couple of seconds; the difference is the extra
 * delay that packet suffered. The target covers the chosen quantile of those
 * extra delays over a sliding history, plus one frame (a packet must have
 * arrived whole before it plays), plus the redundancy distance when RED is in
 * use (a lost frame's copy rides on a later packet and must arrive in time).
 * Clock offset between sender and receiver cancels out in the difference, and
 * the short reference window follows slow clock drift.
 */
export class DelayManager {
  private readonly fastest: SlidingMin;
  private readonly relativeDelays: WindowedHistogram;

  constructor(private readonly policy: DelayPolicy = DEFAULT_DELAY_POLICY) {
    this.fastest = new SlidingMin(policy.referenceWindowMs);
    this.relativeDelays = new WindowedHistogram(policy.maxDelayMs, policy.historyMs);
  }

  /** Records one packet's arrival; returns its relative delay in ms. */
  onPacket(arrivalMs: number, mediaTimeMs: number): number {
    const transit = arrivalMs - mediaTimeMs;
    this.fastest.add(arrivalMs, transit);
    const relative = transit - this.fastest.min!;
    this.relativeDelays.add(arrivalMs, relative);
    return relative;
  }

  /** Transit of the fastest recent packet: where a packet with no extra delay would land. */
  get fastestTransitMs(): number | undefined {
    return this.fastest.min;
  }

  /** The quantile of recent extra network delay. */
  get jitterAllowanceMs(): number {
    return this.relativeDelays.quantile(this.policy.quantile);
  }

  targetMs(frameMs: number, redundancyMs: number): number {
    const wanted = frameMs + redundancyMs + this.jitterAllowanceMs;
    return Math.min(this.policy.maxDelayMs, Math.max(wanted, frameMs, this.policy.minDelayMs));
  }
}
