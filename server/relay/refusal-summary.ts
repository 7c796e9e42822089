import type { Logger } from 'pino';
import type { RejectCodeName } from '../protocol/control.js';
import { addressKey } from './address-key.js';

/** How often refused joins are summed up in the log, at most. */
export const REFUSAL_SUMMARY_MS = 10_000;
/** Addresses a summary tells apart; refusals from any beyond are counted together. */
const MAX_ADDRESSES = 1_000;
/** The addresses named in a summary, those refused most. */
const BUSIEST_SHOWN = 5;

/**
 * Refused joins for the log: one summary line per period at most, instead
 * of a line each, so a flood of wrong passwords cannot fill the disk. The
 * first refusal after a quiet period is written at the next maintenance
 * tick; the rest of that period's wait for its end. Every refusal is still
 * counted as it happens, for the metrics (RelayCounters.refused).
 */
export class RefusalSummary {
  private readonly byCode = new Map<RejectCodeName, number>();
  private readonly byAddress = new Map<string, number>();
  private fromOtherAddresses = 0;
  private periodStartedAt: number;

  constructor(
    private readonly log: Logger,
    now: number,
    private readonly periodMs = REFUSAL_SUMMARY_MS,
  ) {
    this.periodStartedAt = now;
  }

  note(code: RejectCodeName, address: string): void {
    this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
    const key = addressKey(address);
    const count = this.byAddress.get(key);
    if (count !== undefined) this.byAddress.set(key, count + 1);
    else if (this.byAddress.size < MAX_ADDRESSES) this.byAddress.set(key, 1);
    else this.fromOtherAddresses++;
  }

  /** Writes what was refused once a period has passed since the last summary, if anything was. */
  flushIfDue(now: number): void {
    if (now - this.periodStartedAt < this.periodMs || this.byCode.size === 0) return;
    const busiest = [...this.byAddress]
      .sort((a, b) => b[1] - a[1])
      .slice(0, BUSIEST_SHOWN)
      .map(([address, refused]) => ({ address, refused }));
    let total = 0;
    for (const count of this.byCode.values()) total += count;
    this.log.info(
      {
        refused: Object.fromEntries(this.byCode),
        total,
        addresses: this.byAddress.size,
        ...(this.fromOtherAddresses > 0 ? { fromOtherAddresses: this.fromOtherAddresses } : {}),
        busiest,
        sinceMs: Math.round(now - this.periodStartedAt),
      },
      'joins refused',
    );
    this.byCode.clear();
    this.byAddress.clear();
    this.fromOtherAddresses = 0;
    this.periodStartedAt = now;
  }
}
