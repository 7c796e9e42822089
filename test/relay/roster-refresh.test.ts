import { describe, expect, it } from 'vitest';
import { ROSTER_SENDS_PER_TICK, roomsDueForRefresh } from '../../server/relay/roster-refresh.js';

const room = (name: string, members: number, nextRosterAt: number) => ({ name, nextRosterAt, members: Array.from({ length: members }, (_, i) => i) });

describe('periodic roster refresh, a bounded amount per maintenance tick', () => {
  it('takes due rooms in order until 100 datagrams are spent; the rest wait for the next tick', () => {
    expect(ROSTER_SENDS_PER_TICK).toBe(100);
    // 15 rooms of ten all due at once (a relay that just started), and one not yet due.
    const rooms = [room('later', 10, 6_000), ...Array.from({ length: 15 }, (_, i) => room(`r${i}`, 10, 5_000))];
    const first = roomsDueForRefresh(rooms, 5_000);
    expect(first.map((r) => r.name)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    // The relay moves each refreshed room's next refresh seconds ahead; the next tick takes the rest.
    for (const refreshed of first) refreshed.nextRosterAt = 9_000;
    expect(roomsDueForRefresh(rooms, 5_050).map((r) => r.name)).toEqual(['r10', 'r11', 'r12', 'r13', 'r14']);
  });

  it('never splits a room: the last one taken may pass the budget by less than its own size', () => {
    const rooms = [room('a', 60, 0), room('b', 30, 0), room('c', 64, 0), room('d', 1, 0)];
    expect(roomsDueForRefresh(rooms, 0).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(roomsDueForRefresh(rooms, 0, 90).map((r) => r.name)).toEqual(['a', 'b']);
    expect(roomsDueForRefresh([], 0)).toEqual([]);
  });
});
