import { describe, expect, it } from 'vitest';
import { ROSTER_RESYNC_SPACING_MS, RosterSync } from '../../electron/net/roster-sync.js';
import { MemberFlag } from '../../server/protocol/constants.js';
import type { MemberState, Roster } from '../../server/protocol/session-messages.js';

const SELF = 7;
const quiet = { muted: false, deafened: false, talking: false };
const salt = new Uint8Array(16);

function roster(revision: number, members: { id: number; name: string; flags?: number }[]): Roster {
  return { kind: 'roster', revision, page: 0, pageCount: 1, members: members.map((m) => ({ id: m.id, name: m.name, flags: m.flags ?? 0, mediaSalt: salt })) };
}
const memberState = (revision: number, id: number, flags: number): MemberState => ({ kind: 'memberState', revision, id, flags });
const nothing = { changed: false, requestRoster: false, resendState: false };

describe('RosterSync', () => {
  it('lists everyone but us, and knows no sender by our own id', () => {
    const sync = new RosterSync();
    sync.restart(SELF);
    expect(sync.onRoster(roster(1, [{ id: SELF, name: 'Me' }, { id: 2, name: 'Ana' }]), quiet, 0)).toEqual({ ...nothing, changed: true });
    expect(sync.peers.map((p) => p.name)).toEqual(['Ana']);
    expect(sync.peer(2)?.name).toBe('Ana');
    expect(sync.peer(SELF)).toBeUndefined();
    expect(sync.peer(3)).toBeUndefined();
    // The same roster again (the periodic refresh) changes nothing; an older one is ignored.
    expect(sync.onRoster(roster(1, [{ id: SELF, name: 'Me' }, { id: 2, name: 'Ana' }]), quiet, 0)).toEqual(nothing);
    expect(sync.onRoster(roster(0, [{ id: SELF, name: 'Me' }]), quiet, 0)).toEqual(nothing);
    expect(sync.peers.map((p) => p.name)).toEqual(['Ana']);
  });

  it(`asks for the roster at most once per ${ROSTER_RESYNC_SPACING_MS} ms`, () => {
    const sync = new RosterSync();
    sync.restart(SELF);
    expect(sync.shouldRequestRoster(5_000)).toBe(true);
    expect(sync.shouldRequestRoster(5_000 + ROSTER_RESYNC_SPACING_MS - 1)).toBe(false);
    expect(sync.shouldRequestRoster(5_000 + ROSTER_RESYNC_SPACING_MS)).toBe(true);
  });

  it('applies member updates in order, and asks for the whole roster when one skips a revision', () => {
    const sync = new RosterSync();
    sync.restart(SELF);
    sync.onRoster(roster(4, [{ id: SELF, name: 'Me' }, { id: 2, name: 'Ana' }]), quiet, 0);
    expect(sync.onMemberState(memberState(5, 2, MemberFlag.talking), quiet, 100)).toEqual({ ...nothing, changed: true });
    expect(sync.peer(2)?.flags.talking).toBe(true);
    expect(sync.onMemberState(memberState(5, 2, 0), quiet, 200)).toEqual(nothing);
    expect(sync.onMemberState(memberState(8, 2, MemberFlag.muted), quiet, 300)).toEqual({ ...nothing, changed: true, requestRoster: true });
    // Another gap within the second: the request already sent will answer it.
    expect(sync.onMemberState(memberState(10, 2, 0), quiet, 300 + ROSTER_RESYNC_SPACING_MS - 1)).toEqual({ ...nothing, changed: true });
    expect(sync.onMemberState(memberState(12, 2, 0), quiet, 300 + ROSTER_RESYNC_SPACING_MS)).toEqual({ ...nothing, changed: true, requestRoster: true });
  });

  it(`corrects the relay when it shows flags we do not have, at most once per ${ROSTER_RESYNC_SPACING_MS} ms`, () => {
    const sync = new RosterSync();
    sync.restart(SELF);
    const showsUsTalking = (revision: number): Roster => roster(revision, [{ id: SELF, name: 'Me', flags: MemberFlag.talking }]);
    expect(sync.onRoster(showsUsTalking(1), quiet, 0)).toEqual({ ...nothing, changed: true, resendState: true });
    expect(sync.onRoster(showsUsTalking(2), quiet, ROSTER_RESYNC_SPACING_MS - 1)).toEqual({ ...nothing, changed: true });
    expect(sync.onRoster(showsUsTalking(3), quiet, ROSTER_RESYNC_SPACING_MS)).toEqual({ ...nothing, changed: true, resendState: true });
    // Agreeing flags need no correction.
    expect(sync.onRoster(showsUsTalking(4), { ...quiet, talking: true }, 5 * ROSTER_RESYNC_SPACING_MS)).toEqual({ ...nothing, changed: true });
  });

  it('forgets the room when the session is lost, and takes a new id for the next one', () => {
    const sync = new RosterSync();
    sync.restart(SELF);
    sync.onRoster(roster(3, [{ id: SELF, name: 'Me' }, { id: 2, name: 'Ana' }]), quiet, 0);
    sync.clear();
    expect(sync.peers).toEqual([]);
    sync.restart(9);
    // The new relay starts its revisions afresh; our new id is ours, the old one is someone else's now.
    expect(sync.onRoster(roster(1, [{ id: 9, name: 'Me' }, { id: SELF, name: 'Other' }]), quiet, 0)).toEqual({ ...nothing, changed: true });
    expect(sync.peers.map((p) => p.name)).toEqual(['Other']);
  });
});
