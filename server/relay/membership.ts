import type { MemberFlags } from '../protocol/constants.js';
import type { RejectCodeName } from '../protocol/control.js';
import type { Endpoint } from './endpoint.js';
import type { MembershipDirectory } from './forwarder.js';
import { randomBytes } from '../protocol/crypto.js';
import type { Member } from './member.js';
import type { ResolvedRelayOptions } from './options.js';
import { RecentlyUsed } from './recently-used.js';
import { Room } from './room.js';

/** How long a member that left is remembered: its second LEAVE, or a late datagram, arrives well within this. */
const LEFT_MEMBER_MEMORY_MS = 5_000;

export interface RoomSummary {
  name: string;
  encrypted: boolean;
  members: { id: number; name: string; muted: boolean; deafened: boolean; talking: boolean }[];
}

/**
 * Told of every change the forwarding hot path depends on: who is in which
 * room, at which address, and muted or deafened. A relay spread over several
 * workers keeps each worker's replica of membership up to date from these.
 */
export interface MembershipObserver {
  /** A member joined, moved room, roamed to a new address, or changed muted or deafened. */
  changed(member: Member, cause: 'joined' | 'moved' | 'roamed' | 'flags'): void;
  left(member: Member): void;
  cleared(): void;
}

type CapacityLimits = Pick<ResolvedRelayOptions, 'maxMembers' | 'maxMembersPerRoom' | 'maxRooms'>;

/** Who is in which room: the relay's rooms and members, and the members that just left. */
export class Membership implements MembershipDirectory<Member> {
  private readonly rooms = new Map<string, Room>();
  private readonly members = new Map<number, Member>();
  /** Members that left cleanly, for LEFT_MEMBER_MEMORY_MS, by id: what they still send is theirs, not a lost session's. */
  private readonly recentlyLeft: RecentlyUsed<number, Member>;

  /** Set by a relay with several workers; a single-worker relay needs no one told. */
  observer: MembershipObserver | undefined;

  constructor(private readonly limits: CapacityLimits) {
    // At most as many as can leave in LEFT_MEMBER_MEMORY_MS, and joins are rate-limited; the cap only bounds the worst case.
    this.recentlyLeft = new RecentlyUsed(limits.maxMembers);
  }

  get memberCount(): number {
    return this.members.size;
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  member(id: number): Member | undefined {
    return this.members.get(id);
  }

  /** A member that left cleanly within the last few seconds. */
  justLeft(id: number): Member | undefined {
    return this.recentlyLeft.peek(id);
  }

  room(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  allMembers(): IterableIterator<Member> {
    return this.members.values();
  }

  allRooms(): IterableIterator<Room> {
    return this.rooms.values();
  }

  /** Why one more member cannot enter the named room, or null when it can; one already on the relay (moving) does not add to its total. */
  capacityRefusal(roomName: string, alreadyMember = false): RejectCodeName | null {
    const room = this.rooms.get(roomName);
    if (room) {
      if (room.members.length >= this.limits.maxMembersPerRoom) return 'roomFull';
    } else if (this.rooms.size >= this.limits.maxRooms) {
      return 'relayFull';
    }
    return !alreadyMember && this.members.size >= this.limits.maxMembers ? 'relayFull' : null;
  }

  /** A fresh member id (also the member's SSRC): never 0, never one in use or just left. */
  newMemberId(): number {
    for (;;) {
      const id = randomBytes(4).readUInt32BE(0);
      if (id !== 0 && !this.members.has(id) && !this.recentlyLeft.peek(id)) return id;
    }
  }

  /** The named room, opened on the key its first member proved (and hidden if it asked) when it does not exist yet. */
  openRoom(name: string, publicKey: Uint8Array, now: number, hidden = false): Room {
    let room = this.rooms.get(name);
    if (!room) {
      room = new Room(name, publicKey, now, hidden);
      this.rooms.set(name, room);
    }
    return room;
  }

  add(member: Member): void {
    this.members.set(member.id, member);
    member.room.add(member);
    this.observer?.changed(member, 'joined');
  }

  /** Takes the member out; returns its room when others are still in it (their roster changed), else closes the room. */
  remove(member: Member): Room | undefined {
    this.members.delete(member.id);
    this.observer?.left(member);
    return this.vacate(member);
  }

  /** Moves a member into another room, under the media salt it chose for it; returns the room it left when others are still in it. */
  move(member: Member, to: Room, mediaSalt: Uint8Array): Room | undefined {
    const left = this.vacate(member);
    member.room = to;
    member.mediaSalt = mediaSalt;
    to.add(member);
    this.observer?.changed(member, 'moved');
    return left;
  }

  /** The member's datagrams now come from, and go to, this endpoint (a NAT rebinding, a switch between UDP and a stream). */
  relocate(member: Member, to: Endpoint): void {
    member.address = to.address;
    member.port = to.port;
    member.stream = to.stream;
    this.observer?.changed(member, 'roamed');
  }

  setFlags(member: Member, flags: MemberFlags): void {
    const forwardingChanged = flags.muted !== member.flags.muted || flags.deafened !== member.flags.deafened;
    member.flags = flags;
    // Talking changes often and forwarding never reads it: no worker needs telling.
    if (forwardingChanged) this.observer?.changed(member, 'flags');
  }

  private vacate(member: Member): Room | undefined {
    const room = member.room;
    room.remove(member);
    if (room.members.length > 0) return room;
    // A browsing member's room outside was never listed.
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    return undefined;
  }

  /** Takes out a member that said goodbye, remembering it for a few seconds. */
  leave(member: Member, now: number): Room | undefined {
    this.recentlyLeft.use(member.id, now, () => member);
    return this.remove(member);
  }

  /** Members not heard from since the cutoff. */
  silentSince(cutoff: number): Member[] {
    const silent: Member[] = [];
    for (const member of this.members.values()) if (member.lastHeardAt < cutoff) silent.push(member);
    return silent;
  }

  forgetOldDepartures(now: number): void {
    this.recentlyLeft.forgetUnusedSince(now - LEFT_MEMBER_MEMORY_MS);
  }

  summaries(): RoomSummary[] {
    return [...this.rooms.values()].map((room) => ({
      name: room.name,
      encrypted: room.encrypted,
      members: room.members.map((m) => ({ id: m.id, name: m.name, ...m.flags })),
    }));
  }

  clear(): void {
    this.observer?.cleared();
    this.members.clear();
    this.rooms.clear();
    this.recentlyLeft.clear();
  }
}
