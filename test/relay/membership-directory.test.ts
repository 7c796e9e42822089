import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../server/protocol/crypto.js';
import { SealedReceiver, SealedSender } from '../../server/protocol/sealed-channel.js';
import { Member } from '../../server/relay/member.js';
import { Membership } from '../../server/relay/membership.js';

const limits = { maxMembers: 4, maxMembersPerRoom: 2, maxRooms: 2 };
const plainRoom = new Uint8Array(32);
const rateLimit = { packetsPerSecond: 100, burstPackets: 10, bytesPerSecond: 100_000, burstBytes: 10_000 };

function memberIn(membership: Membership, roomName: string, id: number, now = 0): Member {
  const key = randomBytes(32);
  const member = new Member({
    id,
    name: `member ${id}`,
    room: membership.openRoom(roomName, plainRoom, now),
    sessionBinding: { clientNonce: randomBytes(16), relayPublicKey: randomBytes(32) },
    address: '127.0.0.1',
    port: 40_000 + id,
    flags: { muted: false, deafened: false, talking: false },
    mediaSalt: randomBytes(16),
    sender: new SealedSender(key, id),
    receiver: new SealedReceiver(key),
    welcome: Buffer.alloc(0),
    now,
    rateLimit,
  });
  membership.add(member);
  return member;
}

describe('Membership', () => {
  it('finds members by id and keeps each room’s members in join order', () => {
    const membership = new Membership(limits);
    const a = memberIn(membership, 'Lobby', 1);
    const b = memberIn(membership, 'Lobby', 2);
    expect(membership.member(2)).toBe(b);
    expect(membership.member(3)).toBeUndefined();
    expect(membership.room('Lobby')!.members).toEqual([a, b]);
    expect([membership.memberCount, membership.roomCount]).toEqual([2, 1]);
  });

  it('refuses a full room as roomFull, a new room past maxRooms and a member past maxMembers as relayFull', () => {
    const membership = new Membership(limits);
    memberIn(membership, 'Lobby', 1);
    memberIn(membership, 'Lobby', 2);
    expect(membership.capacityRefusal('Lobby')).toBe('roomFull');
    memberIn(membership, 'Games', 3);
    expect(membership.capacityRefusal('Music')).toBe('relayFull');
    expect(membership.capacityRefusal('Games')).toBeNull();
    memberIn(membership, 'Games', 4);
    expect(membership.capacityRefusal('Games')).toBe('roomFull');
    membership.remove(membership.member(4)!);
    expect(membership.capacityRefusal('Games')).toBeNull();
  });

  it('returns the room a departure leaves behind while others remain, and closes the room with its last member', () => {
    const membership = new Membership(limits);
    const a = memberIn(membership, 'Lobby', 1);
    const b = memberIn(membership, 'Lobby', 2);
    const lobby = membership.room('Lobby')!;
    const revision = lobby.revision;
    expect(membership.remove(a)).toBe(lobby);
    expect(lobby.revision).toBe(revision + 1);
    expect(membership.remove(b)).toBeUndefined();
    expect(membership.room('Lobby')).toBeUndefined();
    expect(membership.roomCount).toBe(0);
  });

  it('remembers a member that left for five seconds, not one that timed out, and never reuses its id meanwhile', () => {
    const membership = new Membership(limits);
    const left = memberIn(membership, 'Lobby', 1);
    const silent = memberIn(membership, 'Lobby', 2);
    membership.leave(left, 1_000);
    membership.remove(silent);
    expect(membership.member(1)).toBeUndefined();
    expect(membership.justLeft(1)).toBe(left);
    expect(membership.justLeft(2)).toBeUndefined();
    membership.forgetOldDepartures(5_999);
    expect(membership.justLeft(1)).toBe(left);
    membership.forgetOldDepartures(6_001);
    expect(membership.justLeft(1)).toBeUndefined();
  });

  it('lists exactly the members silent since a cutoff', () => {
    const membership = new Membership(limits);
    const quiet = memberIn(membership, 'Lobby', 1, 0);
    const heard = memberIn(membership, 'Lobby', 2, 0);
    heard.lastHeardAt = 900;
    expect(membership.silentSince(500)).toEqual([quiet]);
    expect(membership.silentSince(0)).toEqual([]);
  });

  it('summarises rooms with members’ names and flags', () => {
    const membership = new Membership(limits);
    memberIn(membership, 'Lobby', 1).flags = { muted: true, deafened: false, talking: false };
    expect(membership.summaries()).toEqual([
      { name: 'Lobby', encrypted: false, members: [{ id: 1, name: 'member 1', muted: true, deafened: false, talking: false }] },
    ]);
  });
});
