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

export interface LossReport {
  uplinkLossPermille: number;
  downlinkLossPermille: number;
}

/**
 * Decides whether we send RED. The loss that matters is the worse of our
 * uplink to the relay and the relay's onward links to our listeners; a side
 * not measured (LOSS_UNKNOWN, e.g. while we were silent) is ignored, and a
 * report with neither side known changes nothing. Hysteresis: on at once
 * above 2 %, off only after 10 s of reports all below 0.5 %.
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
    if (loss > RED_ON_ABOVE_PERMILLE) this.automaticOn = true;
    if (loss >= RED_OFF_BELOW_PERMILLE) {
      this.goodSince = undefined;
      return;
    }
    this.goodSince ??= now;
    if (this.automaticOn && now - this.goodSince >= RED_OFF_AFTER_MS) this.automaticOn = false;
  }
}

/** The worse of the two loss figures in permille, or undefined when neither was measured. */
export function worstKnownLoss(report: LossReport): number | undefined {
  const known = [report.uplinkLossPermille, report.downlinkLossPermille].filter(
    (value) => value !== LOSS_UNKNOWN && Number.isFinite(value) && value >= 0 && value <= 1000,
  );
  return known.length === 0 ? undefined : Math.max(...known);
}
