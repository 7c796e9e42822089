import { unpackFlags, type MemberFlags } from '../../server/protocol/constants.js';
import type { MemberState, Roster } from '../../server/protocol/session-messages.js';

export interface PeerInfo {
  id: number;
  name: string;
  flags: MemberFlags;
  mediaSalt: Uint8Array;
}

export type RosterOutcome = 'changed' | 'unchanged' | 'stale' | 'gap';

/**
 * Rebuilds the room's member list from paged ROSTER messages and MEMBER_STATE
 * deltas, ordered by the relay's room revision so that late or duplicated
 * packets never roll the view back.
 */
export class RosterView {
  private members = new Map<number, PeerInfo>();
  private revision = -1;
  private pending: { revision: number; pages: Map<number, Roster> } | undefined;

  get peers(): PeerInfo[] {
    return [...this.members.values()];
  }

  get(id: number): PeerInfo | undefined {
    return this.members.get(id);
  }

  get currentRevision(): number {
    return this.revision;
  }

  applyRoster(page: Roster): RosterOutcome {
    if (page.revision < this.revision) return 'stale';
    if (!this.pending || this.pending.revision !== page.revision) {
      if (this.pending && this.pending.revision > page.revision) return 'stale';
      this.pending = { revision: page.revision, pages: new Map() };
    }
    this.pending.pages.set(page.page, page);
    if (this.pending.pages.size < page.pageCount) return 'unchanged';
    const next = new Map<number, PeerInfo>();
    for (const part of this.pending.pages.values()) {
      for (const member of part.members) {
        next.set(member.id, { id: member.id, name: member.name, flags: unpackFlags(member.flags), mediaSalt: member.mediaSalt });
      }
    }
    this.pending = undefined;
    const changed = page.revision !== this.revision || !sameMembers(this.members, next);
    this.members = next;
    this.revision = page.revision;
    return changed ? 'changed' : 'unchanged';
  }

  applyMemberState(update: MemberState): RosterOutcome {
    if (update.revision <= this.revision) return 'stale';
    const gap = update.revision > this.revision + 1;
    this.revision = update.revision;
    const member = this.members.get(update.id);
    if (member) member.flags = unpackFlags(update.flags);
    // A skipped revision may hide a join or leave: the caller asks for a full roster.
    return gap || !member ? 'gap' : 'changed';
  }

  clear(): void {
    this.members.clear();
    this.revision = -1;
    this.pending = undefined;
  }
}

function sameMembers(a: Map<number, PeerInfo>, b: Map<number, PeerInfo>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, member] of a) {
    const other = b.get(id);
    if (
      !other ||
      other.name !== member.name ||
      other.flags.muted !== member.flags.muted ||
      other.flags.deafened !== member.flags.deafened ||
      other.flags.talking !== member.flags.talking
    ) {
      return false;
    }
  }
  return true;
}
