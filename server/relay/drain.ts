import type { Timers } from '../shared/timers.js';

/** How a drain ended: everyone had left, or the deadline came with some still there. */
export interface DrainOutcome {
  ended: 'empty' | 'deadline';
  /** Members still joined when it ended (told the relay stopped as it closes). */
  membersLeft: number;
  tookMs: number;
}

/** How often a draining relay looks whether it is empty: a member leaving is seen within this. */
export const DRAIN_POLL_MS = 100;

/** Resolves once `members()` is 0, or after `deadlineMs` (whichever comes first), on `timers`. */
export function waitUntilEmpty(members: () => number, deadlineMs: number, timers: Timers): Promise<DrainOutcome> {
  const startedAt = timers.now();
  return new Promise((resolve) => {
    const look = (): void => {
      const left = members();
      const tookMs = Math.round(timers.now() - startedAt);
      if (left === 0) return resolve({ ended: 'empty', membersLeft: 0, tookMs });
      if (tookMs >= deadlineMs) return resolve({ ended: 'deadline', membersLeft: left, tookMs });
      timers.setTimeout(look, Math.min(DRAIN_POLL_MS, deadlineMs - tookMs));
    };
    look();
  });
}
