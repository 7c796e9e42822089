import { SlidingMinimum } from '../dsp/sliding-minimum.js';
import { SlidingQuantile } from '../dsp/sliding-quantile.js';

export interface DelayPolicy {
  /** The target never exceeds this. */
  maxDelayMs: number;
  /** The target never drops below this (a user's "extra buffering"); one frame is always the floor. */
  minDelayMs: number;
  /** Share of packets the schedule must have in hand in time. */
  quantile: number;
  /** How long a measured transit keeps counting: the time the target takes to shrink after the network calms. */
  historyMs: number;
  /** The "fastest recent packet" that the reported target is measured against is looked for this far back. */
  referenceWindowMs: number;
}

/** Transits remembered at most: over 5 s of the shortest (2.5 ms) frames, and memory stays bounded under a flood. */
const TRANSITS_KEPT = 4096;

export const DEFAULT_DELAY_POLICY: DelayPolicy = {
  maxDelayMs: 400,
  minDelayMs: 0,
  quantile: 0.95,
  historyMs: 5_000,
  referenceWindowMs: 2_000,
};

/**
 * Decides when audio should play, from how packets have been arriving.
 *
 * Each packet's transit is its arrival time minus its media (RTP) time; the
 * sender's clock offset is in every transit alike and cancels out. A frame is
 * scheduled to play at its media time plus the 95th percentile of the
 * transits of the last few seconds: 95 % of packets are in hand when due. The
 * target delay reported (and bounded) is that schedule measured from the
 * fastest packet of the last two seconds — the extra network delay to ride
 * out — plus one frame, since a packet must arrive whole before it plays.
 * With RED the schedule also waits the redundancy distance, so a lost frame's
 * copy, riding on a later packet, arrives in time.
 *
 * Scheduling by the quantile itself, not by "fastest + allowance", keeps a
 * lasting change of route from being counted twice while the two windows
 * catch up with it. The short reference window follows clock drift.
 */
export class DelayManager {
  private readonly fastest: SlidingMinimum;
  private readonly transits: SlidingQuantile;

  constructor(readonly policy: DelayPolicy = DEFAULT_DELAY_POLICY) {
    this.fastest = new SlidingMinimum(policy.referenceWindowMs, TRANSITS_KEPT);
    this.transits = new SlidingQuantile(policy.historyMs, TRANSITS_KEPT);
  }

  /** Records one packet's arrival; returns its delay beyond the fastest recent packet, in ms. */
  onPacket(arrivalMs: number, mediaTimeMs: number): number {
    const transit = arrivalMs - mediaTimeMs;
    const fastest = this.fastest.push(arrivalMs, transit);
    this.transits.add(arrivalMs, transit);
    return transit - fastest;
  }

  /** Forgets every packet: the schedule starts again from the next. */
  reset(): void {
    this.fastest.reset();
    this.transits.reset();
  }

  /** Transit of the fastest recent packet, or undefined before any. */
  get fastestTransitMs(): number | undefined {
    return this.fastest.min;
  }

  /** The quantile of recent delay beyond the fastest recent packet. */
  get jitterAllowanceMs(): number {
    const fastest = this.fastest.min;
    const quantile = this.transits.quantile(this.policy.quantile);
    return fastest === undefined || quantile === undefined ? 0 : Math.max(0, quantile - fastest);
  }

  /**
   * The transit to schedule by: a frame with media time t plays at
   * t + playoutTransitMs. Undefined before any packet.
   */
  playoutTransitMs(frameMs: number, redundancyMs: number): number | undefined {
    const fastest = this.fastest.min;
    const quantile = this.transits.quantile(this.policy.quantile);
    if (fastest === undefined || quantile === undefined) return undefined;
    const lowest = fastest + Math.max(0, this.policy.minDelayMs - frameMs);
    const highest = fastest + Math.max(0, this.policy.maxDelayMs - frameMs);
    return Math.min(highest, Math.max(lowest, Math.max(quantile, fastest) + redundancyMs));
  }

  /** The delay held: one frame plus the schedule's wait beyond the fastest recent packet. */
  targetMs(frameMs: number, redundancyMs: number): number {
    const transit = this.playoutTransitMs(frameMs, redundancyMs);
    const fastest = this.fastest.min;
    const wanted = transit === undefined || fastest === undefined ? frameMs + redundancyMs : frameMs + transit - fastest;
    return Math.min(Math.max(wanted, this.policy.minDelayMs, frameMs), Math.max(this.policy.maxDelayMs, frameMs));
  }
}
