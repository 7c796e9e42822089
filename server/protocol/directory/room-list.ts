import type { ByteReader, ByteWriter } from '../bytes.js';
import { LIMITS } from '../constants.js';
import { ProtocolError } from '../errors.js';

/** A member as the directory shows it: who, and whether muted or deafened (talking changes too often to list). */
export interface ListedMember {
  id: number;
  flags: number;
  name: string;
}

/**
 * One room in the relay's directory. A room with many members may span
 * pages: each page then carries the room again with the next of its members,
 * and the receiver joins them by name.
 */
export interface RoomListing {
  name: string;
  /** The room has a secret: moving in needs it (or the relay hands it out). */
  locked: boolean;
  /** The relay keeps this room's secret and hands it to whoever moves in (a hosting app's own room). */
  opensWithoutSecret: boolean;
  memberCount: number;
  members: ListedMember[];
}

/** The relay's rooms, one page of them; pages of one revision make the whole directory. */
export interface RoomList {
  kind: 'roomList';
  revision: number;
  page: number;
  pageCount: number;
  rooms: RoomListing[];
}

/** A member asks for the directory now and, while subscribed, whenever it changes. */
export interface RoomListRequest {
  kind: 'roomListRequest';
  subscribe: boolean;
}

const LOCKED = 1;
const OPENS_WITHOUT_SECRET = 2;
const PAGE_HEADER_BYTES = 1 + 4 + 1 + 1 + 2;
const ROOM_HEADER_BYTES = 1 + 1 + 2 + 2;
const MAX_PAGES = 255;

const roomHeaderBytes = (name: string): number => ROOM_HEADER_BYTES + Buffer.byteLength(name);
const memberBytes = (member: ListedMember): number => 4 + 1 + 1 + Buffer.byteLength(member.name);

export function encodeRoomList(writer: ByteWriter, message: RoomList): void {
  writer.u32(message.revision).u8(message.page).u8(message.pageCount).u16(message.rooms.length);
  for (const room of message.rooms) {
    writer
      .shortString(room.name, LIMITS.maxRoomNameBytes)
      .u8((room.locked ? LOCKED : 0) | (room.opensWithoutSecret ? OPENS_WITHOUT_SECRET : 0))
      .u16(room.memberCount)
      .u16(room.members.length);
    for (const member of room.members) writer.u32(member.id).u8(member.flags).shortString(member.name, LIMITS.maxDisplayNameBytes);
  }
}

export function decodeRoomList(reader: ByteReader): RoomList {
  const revision = reader.u32('directory revision');
  const page = reader.u8('directory page');
  const pageCount = reader.u8('directory page count');
  if (pageCount === 0 || page >= pageCount) throw new ProtocolError('malformed', `directory page ${page} of ${pageCount}`);
  const roomCount = reader.u16('directory room count');
  const rooms: RoomListing[] = [];
  for (let r = 0; r < roomCount; r++) {
    const name = reader.shortString(LIMITS.maxRoomNameBytes, 'listed room name');
    const flags = reader.u8('listed room flags');
    if (flags & ~(LOCKED | OPENS_WITHOUT_SECRET)) throw new ProtocolError('malformed', `listed room flags ${flags}`);
    const memberCount = reader.u16('listed member count');
    const listed = reader.u16('listed members');
    const members: ListedMember[] = [];
    for (let m = 0; m < listed; m++) {
      members.push({ id: reader.u32('listed member id'), flags: reader.u8('listed member flags'), name: reader.shortString(LIMITS.maxDisplayNameBytes, 'listed member name') });
    }
    rooms.push({ name, locked: (flags & LOCKED) !== 0, opensWithoutSecret: (flags & OPENS_WITHOUT_SECRET) !== 0, memberCount, members });
  }
  return { kind: 'roomList', revision, page, pageCount, rooms };
}

/**
 * Splits the directory into pages that each fit one sealed datagram; always
 * at least one page, so an empty directory still arrives. A relay so full
 * that every name would take more than 255 pages lists every room with its
 * count, and names only as far as the pages reach: the count is what a
 * picker needs most.
 */
export function paginateRoomList(revision: number, rooms: readonly RoomListing[], maxPlaintext: number): RoomList[] {
  const pages = paginate(revision, rooms, maxPlaintext);
  if (pages.length <= MAX_PAGES) return pages;
  // What the pages hold beyond every room's header, less what a page can waste at its end (a member that
  // did not fit, and its room's header said again on the next page).
  const perPage = maxPlaintext - PAGE_HEADER_BYTES;
  const waste = ROOM_HEADER_BYTES + LIMITS.maxRoomNameBytes + memberBytes({ id: 0, flags: 0, name: 'x'.repeat(LIMITS.maxDisplayNameBytes) });
  let budget = MAX_PAGES * (perPage - waste) - rooms.reduce((sum, room) => sum + roomHeaderBytes(room.name), 0);
  const trimmed = rooms.map((room) => {
    const members: ListedMember[] = [];
    for (const member of room.members) {
      budget -= memberBytes(member);
      if (budget < 0) break;
      members.push(member);
    }
    return { ...room, members };
  });
  const fitted = paginate(revision, trimmed, maxPlaintext);
  return fitted.length <= MAX_PAGES ? fitted : paginate(revision, rooms.map((room) => ({ ...room, members: [] })), maxPlaintext);
}

function paginate(revision: number, rooms: readonly RoomListing[], maxPlaintext: number): RoomList[] {
  const pages: RoomListing[][] = [[]];
  let used = PAGE_HEADER_BYTES;
  const startPage = (): void => {
    pages.push([]);
    used = PAGE_HEADER_BYTES;
  };
  for (const room of rooms) {
    const header = roomHeaderBytes(room.name);
    if (used + header > maxPlaintext) startPage();
    let segment: RoomListing = { ...room, members: [] };
    pages[pages.length - 1]!.push(segment);
    used += header;
    for (const member of room.members) {
      const size = memberBytes(member);
      if (used + size > maxPlaintext) {
        startPage();
        segment = { ...room, members: [] };
        pages[pages.length - 1]!.push(segment);
        used += header;
      }
      segment.members.push(member);
      used += size;
    }
  }
  return pages.map((page, index) => ({ kind: 'roomList', revision, page: index, pageCount: pages.length, rooms: page }));
}

/** Pages of one revision joined back into rooms, in the relay's order. */
export function joinRoomListPages(pages: readonly RoomList[]): RoomListing[] {
  const byName = new Map<string, RoomListing>();
  for (const page of [...pages].sort((a, b) => a.page - b.page)) {
    for (const segment of page.rooms) {
      const room = byName.get(segment.name);
      if (room) room.members.push(...segment.members);
      else byName.set(segment.name, { ...segment, members: [...segment.members] });
    }
  }
  return [...byName.values()];
}
