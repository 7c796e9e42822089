import { MemberFlag } from '../../server/protocol/constants.js';
import { joinRoomListPages, type RoomList, type RoomListing } from '../../server/protocol/directory/room-list.js';
import { isValidDisplayName, isValidRoomName } from '../../server/protocol/names.js';

/** One of the relay's rooms as the directory lists it, read and checked. */
export interface ListedRoom {
  name: string;
  locked: boolean;
  opensWithoutSecret: boolean;
  memberCount: number;
  members: { name: string; muted: boolean; deafened: boolean }[];
}

/**
 * A relay is not trusted to send well-formed names: a room or member whose
 * name would not pass the relay's own checks is left out, so a hostile relay
 * cannot make a list show control characters or names too long to lay out.
 */
function checked(rooms: readonly RoomListing[]): ListedRoom[] {
  return rooms
    .filter((room) => isValidRoomName(room.name))
    .map((room) => ({
      name: room.name,
      locked: room.locked,
      opensWithoutSecret: room.opensWithoutSecret,
      memberCount: room.memberCount,
      members: room.members
        .filter((member) => isValidDisplayName(member.name))
        .map((member) => ({ name: member.name, muted: (member.flags & MemberFlag.muted) !== 0, deafened: (member.flags & MemberFlag.deafened) !== 0 })),
    }));
}

/**
 * The relay's directory as pages arrive: a revision counts once all its
 * pages are in, and a page of an older revision than the newest seen is
 * dropped (a push overtaken by a later one).
 */
export class DirectorySync {
  private revision = -1;
  private pages = new Map<number, RoomList>();
  private current: ListedRoom[] | undefined;

  /** The rooms of the last complete directory; undefined until one has arrived. */
  get rooms(): ListedRoom[] | undefined {
    return this.current;
  }

  /** True when this page completed a directory (read it from `rooms`). */
  onPage(page: RoomList): boolean {
    // Revisions count up from 1 per relay; a much smaller one is a restarted relay, so start over with it.
    if (page.revision < this.revision && this.revision - page.revision < 0x8000_0000) return false;
    if (page.revision !== this.revision) {
      this.revision = page.revision;
      this.pages = new Map();
    }
    this.pages.set(page.page, page);
    if (this.pages.size !== page.pageCount) return false;
    this.current = checked(joinRoomListPages([...this.pages.values()]));
    return true;
  }

  clear(): void {
    this.revision = -1;
    this.pages = new Map();
    this.current = undefined;
  }
}
