import { LOSS_UNKNOWN } from '../../../server/protocol/session-messages.js';
import type { Clock } from '../../../server/shared/clock.js';

export type RedMode = 'auto' | 'on' | 'off';
export const RED_MODES: readonly RedMode[] = ['auto', 'on', 'off'];

/** Loss above this (2 %) turns redundancy on at once: from here on, lost words are plainly audible. */
export const RED_ON_ABOVE_PERMILLE = 20;
/** Redundancy goes off only once loss has stayed below this (0.5 %)… */
export const RED_OFF_BELOW_PERMILLE = 5;
/** …for this long: five ping intervals of evidence, so a lull in a lossy link does not flap it. */
export const RED_OFF_AFTER_MS = 10_000;

/**
 * Loss at or above this (15 %), averaged over the last DEPTH_REPORTS reports,
 * adds a second copy: one copy leaves p² of frames unrecovered (2.3 % at
 * 15 %, 4 % at 20 %), two leave p³ (0.3 %, 0.8 %), for 20 ms more delay at
 * the listener and up to one more primary's bytes per packet. Below 15 % one
 * copy leaves 2 % or less (1 % at 10 %), which the quality bench's damaged
 * segments barely show (docs/engine-send.md, "Depth 2 at high loss").
 */
export const RED_DEPTH_2_FROM_PERMILLE = 150;
/** The second copy goes once the average falls below this (10 %): hysteresis, so a link near 15 % does not flap. */
export const RED_DEPTH_2_UNTIL_BELOW_PERMILLE = 100;
/**
 * Reports averaged for the depth: one report measures about 100 packets, and at
 * 10 % loss one such interval in fourteen reads 15 % or more by chance; three
 * (300 packets) do so once in 250, while at 20 % they reach 15 % 99 times in 100.
 */
export const DEPTH_REPORTS = 3;

export interface LossReport {
  uplinkLossPermille: number;
  downlinkLossPermille: number;
}

/**
 * Decides whether we send RED. The loss that matters is the worse of our
 * uplink to the relay and the relay's onward links to our listeners; a side
 * not measured (LOSS_UNKNOWN, e.g. while we were silent) is ignored, and a
 * report with neither side known changes nothing. Hysteresis: on at once
 * above 2 %, off only after 10 s of reports all below 0.5 %; a second copy
 * while the last three reports average 15 % or more, until they average
 * under 10 %.
 *
 * Reports come with the pings, every 2 s, and the first one after speech
 * starts may measure too few packets to see loss; so on a link known to be
 * lossy from an earlier call, `expectLoss()` turns redundancy on from the
 * first packet, rather than leaving the first seconds of a call (at 10 %
 * loss, a tenth of their frames) unprotected.
 */
export class RedPolicy {
  private automaticOn = false;
  private goodSince: number | undefined;
  /** The last DEPTH_REPORTS known loss figures, permille, oldest first. */
  private readonly recentLoss: number[] = [];
  private deep = false;
  /**
   * Set while our packets go over TCP, which does not lose them (it delays
   * them): a RED copy then only adds bytes to a stream that may already be
   * behind, so none is sent, whatever the mode.
   */
  reliableLink = false;

  constructor(
    public mode: RedMode,
    private readonly clock: Clock,
  ) {}

  get active(): boolean {
    if (this.reliableLink) return false;
    return this.mode === 'on' || (this.mode === 'auto' && this.automaticOn);
  }

  /** Copies per packet: 0 while off, 2 while recent loss is high (in 'on' mode too), else 1. */
  get depth(): number {
    if (!this.active) return 0;
    return this.deep ? 2 : 1;
  }

  /** Whether the reports (or the expectation) say the link is lossy, whatever the mode: worth remembering for the next call. */
  get linkLossy(): boolean {
    return this.automaticOn;
  }

  /** The link was lossy when last used: on now, in auto mode, until reports show it clean for the usual 10 s. */
  expectLoss(): void {
    this.automaticOn = true;
    this.goodSince = undefined;
  }

  onLinkReport(report: LossReport): void {
    const loss = worstKnownLoss(report);
    if (loss === undefined) return;
    const now = this.clock.now();
    this.followDepth(loss);
    if (loss > RED_ON_ABOVE_PERMILLE) this.automaticOn = true;
    if (loss >= RED_OFF_BELOW_PERMILLE) {
      this.goodSince = undefined;
      return;
    }
    this.goodSince ??= now;
    if (this.automaticOn && now - this.goodSince >= RED_OFF_AFTER_MS) this.automaticOn = false;
  }

  private followDepth(loss: number): void {
    this.recentLoss.push(loss);
    if (this.recentLoss.length > DEPTH_REPORTS) this.recentLoss.shift();
    const mean = this.recentLoss.reduce((sum, value) => sum + value, 0) / this.recentLoss.length;
    if (mean >= RED_DEPTH_2_FROM_PERMILLE) this.deep = true;
    else if (mean < RED_DEPTH_2_UNTIL_BELOW_PERMILLE) this.deep = false;
  }
}

/** The worse of the two loss figures in permille, or undefined when neither was measured. */
export function worstKnownLoss(report: LossReport): number | undefined {
  const known = [report.uplinkLossPermille, report.downlinkLossPermille].filter(
    (value) => value !== LOSS_UNKNOWN && Number.isFinite(value) && value >= 0 && value <= 1000,
  );
  return known.length === 0 ? undefined : Math.max(...known);
}
