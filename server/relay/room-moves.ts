import { isValidRoomName } from '../protocol/names.js';
import type { Move, Moved } from '../protocol/session-messages.js';
import { admitToRoom } from './admission.js';
import type { Member } from './member.js';
import type { RelayContext } from './relay-context.js';

/**
 * A member moving to another room within its session: admitted to the new
 * room as a joiner would be (its secret proved for this session and move, and
 * its capacity), then taken out of the old one. Whatever the outcome, the
 * member's chat channel starts over: the client drops its own at once when it
 * asks to move, so the relay must too.
 */
export class RoomMoves {
  constructor(private readonly deps: RelayContext) {}

  /** `counter` is the MOVE's sealed counter: what the member sealed before it is its old room's chat. */
  move(member: Member, move: Move, counter: number, now: number): void {
    const { membership, rosters, chat, outbox, counters, log, directory } = this.deps;
    if (member.lastMove?.moveId === move.moveId) return outbox.sealed(member, member.lastMove.reply);
    // Unanswered, the client asks again shortly: a person's moves get through, a loop's are paced.
    if (!member.mayMove(now)) return counters.drop('rate_limited');
    const { reply, roomPublicKey } = this.decide(member, move);
    member.lastMove = { moveId: move.moveId, reply };
    member.chatFromCounter = counter;
    const from = member.room;
    if (reply.result === 'ok' && move.room !== from.name) {
      const to = membership.openRoom(move.room, roomPublicKey, now, move.hidden);
      const remaining = membership.move(member, to, move.mediaSalt);
      chat.left(member, from);
      counters.moves++;
      log.info({ member: member.id, name: member.name, from: from.name, to: to.name }, 'member moved');
      outbox.sealed(member, reply);
      if (remaining) rosters.broadcast(remaining, now);
      rosters.broadcast(to, now);
      directory.changed();
    } else {
      chat.left(member);
      if (reply.result !== 'ok') counters.refuseMove(reply.result);
      outbox.sealed(member, reply);
    }
    // The channel starts over only after MOVED is sealed: the client takes nothing sealed before it as the new channel's.
    if (!member.room.outside) chat.joined(member, now);
  }

  private decide(member: Member, move: Move): { reply: Moved; roomPublicKey: Uint8Array } {
    const refuse = (result: Exclude<Moved['result'], 'ok'>) => ({ reply: { kind: 'moved', moveId: move.moveId, result, roomSecret: '' } as Moved, roomPublicKey: move.roomPublicKey });
    if (!isValidRoomName(move.room)) return refuse('invalidRoom');
    const { membership, keptSecrets } = this.deps;
    const claim = { move: { ...member.sessionBinding, memberId: member.id, moveId: move.moveId, mediaSalt: move.mediaSalt, room: move.room } };
    const admission = admitToRoom({ roomPublicKey: move.roomPublicKey, roomProof: move.roomProof, claim }, membership.room(move.room)?.publicKey, keptSecrets.get(move.room));
    if (!admission) return refuse('secretMismatch');
    if (move.room !== member.room.name) {
      const full = membership.capacityRefusal(move.room, true);
      if (full) return refuse(full);
    }
    return { reply: { kind: 'moved', moveId: move.moveId, result: 'ok', roomSecret: admission.handOverSecret }, roomPublicKey: admission.roomPublicKey };
  }
}
