import { BudgetedEndpoint } from '../budgeted-endpoint.js';
import type { StreamLink } from '../endpoint.js';
import type { ForwardedMember, MembershipDirectory } from '../forwarder.js';
import type { RateLimitOptions } from '../options.js';
import { UplinkLossMeter, type UplinkTally } from '../uplink-loss.js';
import type { MemberReplica, ToWorker } from './messages.js';

/** A room as a worker knows it: who is in it, in the order they came. */
class ReplicaRoom {
  readonly members: ReplicaMember[] = [];

  constructor(readonly key: number) {}
}

/** A worker's copy of one member: what forwarding reads, and the budgets spent where its datagrams arrive. */
export class ReplicaMember extends BudgetedEndpoint implements ForwardedMember {
  flags = { muted: false, deafened: false };
  lastHeardAt = -Infinity;
  readonly uplinkLoss = new UplinkLossMeter();
  constructor(
    readonly id: number,
    public room: ReplicaRoom,
    rate: RateLimitOptions,
    now: number,
  ) {
    super('', 0, undefined, rate, now);
  }
}

/**
 * A worker's replica of the relay's membership, kept up to date by the main
 * thread on every join, leave, move, roam and muted or deafened change, so
 * that forwarding never has to ask another thread anything.
 */
export class MemberReplicas implements MembershipDirectory<ReplicaMember> {
  private readonly members = new Map<number, ReplicaMember>();
  private readonly rooms = new Map<number, ReplicaRoom>();

  constructor(
    private readonly rate: RateLimitOptions,
    /** The way to a member on a stream: through the main thread, which holds its socket. */
    private readonly streamTo: (id: number) => StreamLink,
  ) {}

  get size(): number {
    return this.members.size;
  }

  member(id: number): ReplicaMember | undefined {
    return this.members.get(id);
  }

  apply(message: Extract<ToWorker, { type: 'member' | 'left' | 'cleared' }>, now: number): void {
    if (message.type === 'member') this.update(message.member, message.tally, now);
    else if (message.type === 'left') this.remove(message.id);
    else this.clear();
  }

  /** Members heard from (media that passed the checks) after `since`, with what their meters counted. */
  heardSince(since: number): [id: number, tally: UplinkTally][] {
    const heard: [number, UplinkTally][] = [];
    for (const member of this.members.values()) if (member.lastHeardAt > since) heard.push([member.id, member.uplinkLoss.tally()]);
    return heard;
  }

  private update(replica: MemberReplica, tally: UplinkTally | undefined, now: number): void {
    let member = this.members.get(replica.id);
    const room = this.roomFor(replica.room);
    if (!member) {
      member = new ReplicaMember(replica.id, room, this.rate, now);
      this.members.set(member.id, member);
      room.members.push(member);
    } else if (member.room !== room) {
      this.leaveRoom(member);
      member.room = room;
      room.members.push(member);
    }
    member.address = replica.address;
    member.port = replica.port;
    member.stream = replica.viaStream ? this.streamTo(replica.id) : undefined;
    member.flags = { muted: replica.muted, deafened: replica.deafened };
    if (tally) member.uplinkLoss.adopt(tally);
  }

  private remove(id: number): void {
    const member = this.members.get(id);
    if (!member) return;
    this.members.delete(id);
    this.leaveRoom(member);
  }

  private clear(): void {
    this.members.clear();
    this.rooms.clear();
  }

  private roomFor(key: number): ReplicaRoom {
    let room = this.rooms.get(key);
    if (!room) {
      room = new ReplicaRoom(key);
      this.rooms.set(key, room);
    }
    return room;
  }

  private leaveRoom(member: ReplicaMember): void {
    const { members } = member.room;
    members.splice(members.indexOf(member), 1);
    if (members.length === 0) this.rooms.delete(member.room.key);
  }
}
