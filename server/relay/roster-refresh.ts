/**
 * Periodic roster datagrams one maintenance tick may send. Sealing and sending
 * one costs ~10 µs, so a tick holds forwarding up for about a millisecond at
 * most; at the default 50 ms tick that is 2,000 refreshes a second, twice what
 * the largest relay (5,000 members, every 5 s) needs.
 */
export const ROSTER_SENDS_PER_TICK = 100;

export interface RefreshCandidate {
  nextRosterAt: number;
  readonly members: readonly unknown[];
}

/**
 * The rooms whose periodic roster refresh is due, in the order given, until
 * this tick's budget of datagrams (one per member) is spent; the rest wait
 * for the next tick. A room is never split, so the last one taken may pass
 * the budget by less than its own size.
 */
export function roomsDueForRefresh<R extends RefreshCandidate>(rooms: Iterable<R>, now: number, budget = ROSTER_SENDS_PER_TICK): R[] {
  const due: R[] = [];
  let left = budget;
  for (const room of rooms) {
    if (left <= 0) break;
    if (now < room.nextRosterAt) continue;
    due.push(room);
    left -= room.members.length;
  }
  return due;
}
