import { packFlags } from '../protocol/constants.js';
import { MAX_SEALED_PLAINTEXT } from '../protocol/control.js';
import { paginateRoster } from '../protocol/session-messages.js';
import type { Member } from './member.js';
import type { Outbox } from './outbox.js';
import type { Room } from './room.js';
import { roomsDueForRefresh } from './roster-refresh.js';

/**
 * Keeps every member's view of its room current: the whole roster after a
 * join or departure, on request, and periodically (a lost datagram is mended
 * at the next refresh); one member's flags at once when they change.
 */
export class Rosters {
  constructor(
    private readonly outbox: Outbox,
    private readonly rosterIntervalMs: number,
  ) {}

  /** The room's roster to everyone in it, and the next periodic refresh rescheduled. */
  broadcast(room: Room, now: number): void {
    // ±25 % jitter: after a burst of joins (a relay restart) the refreshes spread out instead of all falling due in one tick.
    room.nextRosterAt = now + this.rosterIntervalMs * (0.75 + Math.random() * 0.5);
    const pages = this.pages(room);
    for (const member of room.members) for (const page of pages) this.outbox.sealed(member, page);
  }

  /** The roster to one member that asked for it. */
  sendTo(member: Member): void {
    for (const page of this.pages(member.room)) this.outbox.sealed(member, page);
  }

  /** A member's new flags, to everyone in its room (itself included: that confirms them). */
  flagsChanged(member: Member): void {
    const room = member.room;
    room.revision++;
    const flags = packFlags(member.flags);
    for (const other of room.members) this.outbox.sealed(other, { kind: 'memberState', revision: room.revision, id: member.id, flags });
  }

  /** The periodic refreshes due, as many as one maintenance tick may send. */
  refreshDue(rooms: Iterable<Room>, now: number): void {
    for (const room of roomsDueForRefresh(rooms, now)) this.broadcast(room, now);
  }

  private pages(room: Room): ReturnType<typeof paginateRoster> {
    return paginateRoster(
      room.revision,
      room.members.map((m) => ({ id: m.id, flags: packFlags(m.flags), mediaSalt: m.mediaSalt, name: m.name })),
      MAX_SEALED_PLAINTEXT,
    );
  }
}
