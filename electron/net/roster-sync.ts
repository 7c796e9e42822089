import { packFlags, type MemberFlags } from '../../server/protocol/constants.js';
import type { MemberState, Roster } from '../../server/protocol/session-messages.js';
import { RosterView, type PeerInfo, type RosterOutcome } from './roster.js';

/** Roster requests, and resends of our STATE, are at least this far apart. */
export const ROSTER_RESYNC_SPACING_MS = 1_000;

/** What to do after a roster message. */
export interface RosterChange {
  /** The room's member list (or someone's flags) changed: tell the listeners. */
  changed: boolean;
  /** Ask the relay for the whole roster: an update skipped a revision. */
  requestRoster: boolean;
  /** Send our STATE again: the relay shows flags we no longer have (a STATE was lost). */
  resendState: boolean;
}

/**
 * Our view of the room kept in step with the relay's: the paged roster and
 * member updates applied in revision order (RosterView), plus when to ask for
 * a whole roster and when to correct the relay's idea of our own flags, each
 * at most once a second. The caller passes the time in.
 */
export class RosterSync {
  private readonly view = new RosterView();
  private selfId: number | undefined;
  private lastRequestAt = -Infinity;
  private lastStateResendAt = -Infinity;

  /** A new session: we have a new member id, and know nobody until the relay's roster. */
  restart(selfId: number): void {
    this.view.clear();
    this.selfId = selfId;
  }

  /** The session was lost: nobody is known until we are back. */
  clear(): void {
    this.view.clear();
  }

  /** Everyone in the room but us. */
  get peers(): PeerInfo[] {
    return this.view.peers.filter((peer) => peer.id !== this.selfId);
  }

  /** The peer who sends media as `ssrc`; undefined for ourselves and for members the roster has not told us of. */
  peer(ssrc: number): PeerInfo | undefined {
    return ssrc === this.selfId ? undefined : this.view.get(ssrc);
  }

  /** Whether to ask for the whole roster now (media came from someone we do not know, say). */
  shouldRequestRoster(now: number): boolean {
    if (now - this.lastRequestAt < ROSTER_RESYNC_SPACING_MS) return false;
    this.lastRequestAt = now;
    return true;
  }

  onRoster(page: Roster, ownFlags: MemberFlags, now: number): RosterChange {
    return this.after(this.view.applyRoster(page), ownFlags, now);
  }

  onMemberState(update: MemberState, ownFlags: MemberFlags, now: number): RosterChange {
    return this.after(this.view.applyMemberState(update), ownFlags, now);
  }

  private after(outcome: RosterOutcome, ownFlags: MemberFlags, now: number): RosterChange {
    const requestRoster = outcome === 'gap' && this.shouldRequestRoster(now);
    // A roster page that completes nothing new, or a stale update, says nothing to act on.
    const changed = outcome === 'changed' || outcome === 'gap';
    return { changed, requestRoster, resendState: changed && this.relayHasOurFlagsWrong(ownFlags, now) };
  }

  private relayHasOurFlagsWrong(ownFlags: MemberFlags, now: number): boolean {
    const self = this.selfId === undefined ? undefined : this.view.get(this.selfId);
    if (!self || packFlags(self.flags) === packFlags(ownFlags) || now - this.lastStateResendAt < ROSTER_RESYNC_SPACING_MS) return false;
    this.lastStateResendAt = now;
    return true;
  }
}
