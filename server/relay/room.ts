import type { Member } from './member.js';

/** Every room gets a number of its own for the life of the process: how a worker's replica of membership names it. */
let lastRoomKey = 0;

/** A named room: its members and the public admission key of the room key they share. */
export class Room {
  /** An array, not a set: forwarding iterates it for every packet. */
  readonly members: Member[] = [];
  /** Bumped on every roster change so clients can tell stale updates from fresh. */
  revision = 0;
  /** When the periodic roster refresh is next due (jittered, so rooms created together don't refresh together). */
  nextRosterAt: number;
  /** Unique among rooms, outside rooms too (which all share the empty name). */
  readonly key = ++lastRoomKey;

  constructor(
    readonly name: string,
    /** All zero means "not encrypted". The first member sets it; joiners must prove they hold its private half. */
    readonly publicKey: Uint8Array,
    now: number,
    /** Left out of the relay's directory (its first member asked); its members still see it. */
    readonly hidden = false,
  ) {
    this.nextRosterAt = now;
  }

  /**
   * Where a member that joined only to browse the directory waits: a room of its own, in no list, that
   * nobody else can enter (no valid room name is empty), so forwarding and rosters need no special case.
   */
  static outside(now: number): Room {
    return new Room('', new Uint8Array(32), now, true);
  }

  get outside(): boolean {
    return this.name === '';
  }

  get encrypted(): boolean {
    return this.publicKey.some((byte) => byte !== 0);
  }

  add(member: Member): void {
    this.members.push(member);
    this.revision++;
  }

  remove(member: Member): void {
    const index = this.members.indexOf(member);
    if (index >= 0) {
      this.members.splice(index, 1);
      this.revision++;
    }
  }
}
