import { MemberFlag, packFlags } from '../../protocol/constants.js';
import { MAX_SEALED_PLAINTEXT } from '../../protocol/control.js';
import { paginateRoomList, type RoomList, type RoomListing } from '../../protocol/directory/room-list.js';
import type { SessionMessage } from '../../protocol/session-messages.js';
import { TokenBucket } from '../../shared/token-bucket.js';
import type { KeptSecret } from '../admission.js';
import type { Member } from '../member.js';
import type { Room } from '../room.js';

/** A subscriber hears of a change within this long; changes in between are sent as one. */
export const DIRECTORY_PUSH_MS = 1_000;
/**
 * Directory datagrams the relay sends per second, all subscribers together: on a big relay with everyone
 * subscribed, pushes then come less often rather than crowding out the audio.
 */
export const DIRECTORY_DATAGRAMS_PER_SECOND = 2_000;
/** Answers to explicit requests, per member: a client asks once when it shows a picker, not in a loop. */
const REQUESTS_PER_SECOND = 1;
const REQUEST_BURST = 3;

/** What the directory reads of the relay: its rooms, and the rooms it keeps a secret for (listed even when empty). */
export interface DirectorySource {
  rooms(): Iterable<Room>;
  keptSecrets: ReadonlyMap<string, KeptSecret>;
}

/** Muted and deafened are listed; talking is not (it changes several times a second). */
const LISTED_FLAGS = MemberFlag.muted | MemberFlag.deafened;

/**
 * The relay's room directory: every room that is not hidden, with its lock,
 * its member count and its members' names, for members that asked for it.
 * A member that subscribes hears again after each change, coalesced so that
 * a burst of joins is one push, and spread so the directory never takes
 * more than its share of the relay's sends.
 */
export class RoomDirectory {
  private readonly subscribers = new Set<Member>();
  private readonly requestBudgets = new WeakMap<Member, TokenBucket>();
  private revision = 0;
  private dirty = false;
  private nextPushAt = 0;

  constructor(
    private readonly source: DirectorySource,
    private readonly send: (member: Member, message: SessionMessage) => void,
  ) {}

  /** Whether the member may be answered now; a member asking in a loop is not. */
  request(member: Member, subscribe: boolean, now: number): boolean {
    if (subscribe) this.subscribers.add(member);
    else this.subscribers.delete(member);
    let budget = this.requestBudgets.get(member);
    if (!budget) this.requestBudgets.set(member, (budget = new TokenBucket(REQUESTS_PER_SECOND, REQUEST_BURST, now)));
    if (!budget.take(now)) return false;
    for (const page of this.pages()) this.send(member, page);
    return true;
  }

  /** Rooms or their members changed (a join, a departure, a move, a mute): subscribers hear at the next push. */
  changed(): void {
    this.dirty = true;
  }

  left(member: Member): void {
    this.subscribers.delete(member);
  }

  /** From the relay's maintenance tick: the coalesced push, when one is due. */
  maintain(now: number): void {
    if (!this.dirty || now < this.nextPushAt) return;
    this.dirty = false;
    if (this.subscribers.size === 0) return;
    const pages = this.pages();
    for (const member of this.subscribers) for (const page of pages) this.send(member, page);
    const sent = pages.length * this.subscribers.size;
    this.nextPushAt = now + Math.max(DIRECTORY_PUSH_MS, (1_000 * sent) / DIRECTORY_DATAGRAMS_PER_SECOND);
  }

  /** The directory as it stands: listed rooms by name, and the kept rooms no one is in yet. */
  listing(): RoomListing[] {
    const listed = new Map<string, RoomListing>();
    for (const room of this.source.rooms()) {
      if (room.hidden) continue;
      const kept = this.source.keptSecrets.get(room.name);
      listed.set(room.name, {
        name: room.name,
        locked: room.encrypted,
        opensWithoutSecret: kept?.handOut ?? false,
        memberCount: room.members.length,
        members: room.members.map((m) => ({ id: m.id, name: m.name, flags: packFlags(m.flags) & LISTED_FLAGS })),
      });
    }
    for (const [name, kept] of this.source.keptSecrets) {
      if (!listed.has(name)) listed.set(name, { name, locked: true, opensWithoutSecret: kept.handOut, memberCount: 0, members: [] });
    }
    return [...listed.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private pages(): RoomList[] {
    return paginateRoomList(++this.revision, this.listing(), MAX_SEALED_PLAINTEXT);
  }
}
