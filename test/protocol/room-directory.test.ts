import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../server/protocol/constants.js';
import { MAX_SEALED_PLAINTEXT } from '../../server/protocol/control.js';
import { joinRoomListPages, paginateRoomList, type RoomListing } from '../../server/protocol/directory/room-list.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { decodeSessionMessage, encodeSessionMessage, type Move, type Moved } from '../../server/protocol/session-messages.js';
import { DirectorySync } from '../../electron/net/directory-sync.js';

const member = (id: number, name = `Member ${id}`) => ({ id, flags: id % 4, name });
const room = (name: string, members: number, locked = false): RoomListing => ({
  name,
  locked,
  opensWithoutSecret: false,
  memberCount: members,
  members: Array.from({ length: members }, (_, i) => member(i + 1, `${name} member ${i + 1}`.slice(0, LIMITS.maxDisplayNameBytes))),
});

describe('the room directory on the wire', () => {
  it('round-trips every page, and joins a room split across pages back into one', () => {
    const rooms = [room('Attic', 3, true), room('Big hall', 200), room('Lobby', 0)];
    const pages = paginateRoomList(7, rooms, MAX_SEALED_PLAINTEXT);
    expect(pages.length).toBeGreaterThan(3);
    const decoded = pages.map((page) => {
      const bytes = encodeSessionMessage(page);
      expect(bytes.length).toBeLessThanOrEqual(MAX_SEALED_PLAINTEXT);
      return decodeSessionMessage(bytes);
    });
    expect(decoded).toEqual(pages);
    expect(joinRoomListPages(pages)).toEqual(rooms);
  });

  it('sends an empty directory as one empty page', () => {
    expect(paginateRoomList(1, [], MAX_SEALED_PLAINTEXT)).toEqual([{ kind: 'roomList', revision: 1, page: 0, pageCount: 1, rooms: [] }]);
  });

  it('lists the counts of every room, and names only as far as 255 pages reach', () => {
    const rooms = Array.from({ length: 300 }, (_, i) => room(`Room ${String(i).padStart(3, '0')}`, 64));
    const pages = paginateRoomList(1, rooms, MAX_SEALED_PLAINTEXT);
    expect(pages.length).toBeLessThanOrEqual(255);
    expect(pages.length).toBeGreaterThan(200);
    const joined = joinRoomListPages(pages);
    expect(joined.map((r) => [r.name, r.memberCount])).toEqual(rooms.map((r) => [r.name, 64]));
    const named = joined.reduce((sum, r) => sum + r.members.length, 0);
    expect(named).toBeGreaterThan(3_000);
    expect(named).toBeLessThan(300 * 64);
  });

  it('round-trips MOVE and MOVED, and refuses bad flags', () => {
    const move: Move = { kind: 'move', moveId: 0xfffffffe, room: 'Café', roomPublicKey: new Uint8Array(32).fill(1), mediaSalt: new Uint8Array(16).fill(2), hidden: true, roomProof: new Uint8Array(64).fill(3) };
    expect(decodeSessionMessage(encodeSessionMessage(move))).toEqual(move);
    for (const moved of [
      { kind: 'moved', moveId: 1, result: 'ok', roomSecret: 'kept' },
      { kind: 'moved', moveId: 2, result: 'secretMismatch', roomSecret: '' },
      { kind: 'moved', moveId: 3, result: 'roomFull', roomSecret: '' },
    ] satisfies Moved[]) {
      expect(decodeSessionMessage(encodeSessionMessage(moved))).toEqual(moved);
    }
    const bytes = encodeSessionMessage(move);
    bytes[1 + 4 + 1 + Buffer.byteLength('Café') + 32 + 16] = 0x82;
    expect(() => decodeSessionMessage(bytes)).toThrow(ProtocolError);
    expect(decodeSessionMessage(encodeSessionMessage({ kind: 'roomListRequest', subscribe: true }))).toEqual({ kind: 'roomListRequest', subscribe: true });
  });

  it('never throws anything but a ProtocolError on garbage after a directory kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(13, 14, 15, 16), fc.uint8Array({ maxLength: 300 }), (kind, body) => {
        try {
          decodeSessionMessage(Uint8Array.from([kind, ...body]));
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});

describe('DirectorySync', () => {
  const pagesOf = (revision: number, rooms: RoomListing[]) => paginateRoomList(revision, rooms, 120);

  it('counts a revision once all its pages are in, in any order, and drops pages of an older one', () => {
    const sync = new DirectorySync();
    const newer = pagesOf(5, [room('Attic', 6), room('Lobby', 2)]);
    const older = pagesOf(4, [room('Lobby', 1)]);
    expect(newer.length).toBeGreaterThan(1);
    const [first, ...rest] = newer;
    expect(sync.onPage(first!)).toBe(false);
    expect(sync.onPage(older[0]!)).toBe(false);
    rest.reverse().forEach((page, i) => expect(sync.onPage(page)).toBe(i === rest.length - 1));
    expect(sync.rooms?.map((r) => [r.name, r.members.length])).toEqual([['Attic', 6], ['Lobby', 2]]);
  });

  it('leaves out rooms and members whose names the relay should never have sent, and reads the flags', () => {
    const sync = new DirectorySync();
    const hostile: RoomListing[] = [
      { name: 'bell\u0007', locked: false, opensWithoutSecret: false, memberCount: 1, members: [member(1)] },
      { name: 'Lobby', locked: true, opensWithoutSecret: true, memberCount: 3, members: [member(1, ' padded'), member(2, 'Ana'), member(3, 'tab\there')] },
    ];
    expect(sync.onPage(paginateRoomList(1, hostile, MAX_SEALED_PLAINTEXT)[0]!)).toBe(true);
    expect(sync.rooms).toEqual([{ name: 'Lobby', locked: true, opensWithoutSecret: true, memberCount: 3, members: [{ name: 'Ana', muted: false, deafened: true }] }]);
  });

  it('starts over when a newer revision arrives before an older one completed', () => {
    const sync = new DirectorySync();
    const older = pagesOf(1, [room('Attic', 6)]);
    sync.onPage(older[0]!);
    expect(sync.onPage(pagesOf(2, [room('Lobby', 0)])[0]!)).toBe(true);
    expect(sync.onPage(older[1]!)).toBe(false);
    expect(sync.rooms?.map((r) => r.name)).toEqual(['Lobby']);
  });
});
