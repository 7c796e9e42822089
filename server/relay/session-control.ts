import type { Endpoint } from './endpoint.js';
import type { Logger } from 'pino';
import { unpackFlags, packFlags } from '../protocol/constants.js';
import { encodeControl, type Sealed } from '../protocol/control.js';
import { LOSS_UNKNOWN, type SessionMessage } from '../protocol/session-messages.js';
import { formatAddress } from '../shared/address.js';
import type { RelayCounters } from './counters.js';
import type { Member } from './member.js';
import type { Membership } from './membership.js';
import type { ResolvedRelayOptions } from './options.js';
import type { Outbox } from './outbox.js';
import type { RelayChat } from './chat/relay-chat.js';
import { PerAddressBudget } from './per-address-budget.js';
import type { RelayContext } from './relay-context.js';
import type { Room } from './room.js';
import type { Rosters } from './rosters.js';
import type { RoomDirectory } from './directory/room-directory.js';
import { RoomMoves } from './room-moves.js';

/**
 * A member's session once it is in: its sealed messages (ping and loss
 * reports, flag changes, roster requests, leave), roaming to a new address,
 * and the timeout that ends a session gone silent.
 */
export class SessionControl {
  /** What sealed messages from addresses other than their member's may spend before they are opened. */
  private readonly unverifiedSealedBudget: PerAddressBudget;
  private readonly options: ResolvedRelayOptions;
  private readonly membership: Membership;
  private readonly rosters: Rosters;
  private readonly directory: RoomDirectory;
  private readonly moves: RoomMoves;
  private readonly chat: RelayChat<Member>;
  private readonly outbox: Outbox;
  private readonly counters: RelayCounters;
  private readonly log: Logger;

  constructor(context: RelayContext) {
    const { options, membership, rosters, directory, chat, outbox, counters, log } = context;
    this.options = options;
    this.membership = membership;
    this.rosters = rosters;
    this.directory = directory;
    this.moves = new RoomMoves(context);
    this.chat = chat;
    this.outbox = outbox;
    this.counters = counters;
    this.log = log;
    this.unverifiedSealedBudget = new PerAddressBudget(options.perAddress.unverifiedSealed, options.perAddress.maxAddresses);
  }

  sealed(envelope: Sealed, remote: Endpoint, now: number): void {
    const member = this.membership.member(envelope.memberId);
    if (!member) return this.sealedForAbsentMember(envelope, remote, now);
    const fromItsAddress = member.isAt(remote);
    if (!this.budgetBeforeOpening(member, fromItsAddress, envelope, remote, now)) return;
    const message = member.receiver.open(envelope);
    // Authenticated: only now may a message from elsewhere spend the member's budget.
    if (!fromItsAddress && !member.withinBudget(envelope.ciphertext.length, now)) return this.counters.drop('rate_limited');
    member.lastHeardAt = now;
    member.welcome = null;
    if (!fromItsAddress) this.roam(member, remote);
    this.onMessage(member, message, envelope.counter, now);
  }

  /** Ends the sessions of members silent past the timeout. */
  dropSilent(now: number): void {
    for (const member of this.membership.silentSince(now - this.options.memberTimeoutMs)) {
      this.counters.timeouts++;
      this.log.info({ room: member.room.name, member: member.id, name: member.name }, 'member timed out');
      // It may still hear us even though we stopped hearing it: tell it why it is gone.
      this.outbox.sealed(member, { kind: 'bye', reason: 'timedOut' });
      this.depart(member, this.membership.remove(member), now);
    }
  }

  maintain(now: number): void {
    this.dropSilent(now);
    this.unverifiedSealedBudget.forgetIdle(now);
    this.membership.forgetOldDepartures(now);
  }

  /**
   * A sealed message for a member id the relay does not hold. From a member
   * that has just left cleanly it is that member's own late message (clients
   * send LEAVE twice), taken in silence once it authenticates. Otherwise the
   * client most likely predates a relay restart: tell it to join again.
   */
  private sealedForAbsentMember(envelope: Sealed, remote: Endpoint, now: number): void {
    const left = this.membership.justLeft(envelope.memberId);
    if (left) {
      // Opening throws (bad_mac, replay) for anything that is not really the member's.
      if (this.budgetBeforeOpening(left, left.isAt(remote), envelope, remote, now)) left.receiver.open(envelope);
      return;
    }
    // Tiny, so no amplification.
    this.outbox.control(encodeControl({ type: 'unknownSession', memberId: envelope.memberId }), remote);
    this.counters.drop('unknown_member');
  }

  /**
   * What a sealed message spends before it is opened. From the member's own
   * address, the member's budget. From any other address it may be a forgery
   * (the member id is in clear in every RTP header), so it must not cost the
   * member anything: it spends its source address's budget instead.
   */
  private budgetBeforeOpening(member: Member, fromItsAddress: boolean, envelope: Sealed, remote: Endpoint, now: number): boolean {
    const allowed = fromItsAddress
      ? remote.budgetSpent === true || member.withinBudget(envelope.ciphertext.length, now)
      : this.unverifiedSealedBudget.take(remote.address, now);
    if (!allowed) this.counters.drop('rate_limited');
    return allowed;
  }

  /** Only an authenticated, never-seen counter can move a member, so a replay cannot hijack it. */
  private roam(member: Member, remote: Endpoint): void {
    this.log.info({ member: member.id, from: formatAddress(member.address, member.port), to: formatAddress(remote.address, remote.port), over: remote.stream ? 'stream' : 'udp' }, 'member roamed');
    this.membership.relocate(member, remote);
    this.counters.roams++;
  }

  private onMessage(member: Member, message: SessionMessage, counter: number, now: number): void {
    switch (message.kind) {
      case 'ping':
        // Until the member answers on the chat channel, each pong comes with CHAT_READY again: the first may have
        // arrived before the member held its keys.
        this.chat.pinged(member);
        for (const report of message.reports) {
          const source = this.membership.member(report.ssrc);
          if (source && source.room === member.room && report.lossPermille !== LOSS_UNKNOWN) source.noteDownlinkLoss(report.lossPermille);
        }
        return this.outbox.sealed(member, {
          kind: 'pong',
          pingId: message.pingId,
          uplinkLossPermille: member.uplinkLoss.takePermille(),
          downlinkLossPermille: member.takeDownlinkLoss(),
        });
      case 'state': {
        const flags = unpackFlags(message.flags);
        const changed = packFlags(flags) !== packFlags(member.flags);
        const listedChange = flags.muted !== member.flags.muted || flags.deafened !== member.flags.deafened;
        this.membership.setFlags(member, flags);
        if (changed) this.rosters.flagsChanged(member);
        if (listedChange && !member.room.hidden) this.directory.changed();
        return;
      }
      case 'rosterRequest':
        return this.rosters.sendTo(member);
      case 'chatChunk':
      case 'chatAck':
        // Sealed before the member's last MOVE: its old room's chat, which the new channel must not take for its own.
        if (counter < member.chatFromCounter) return;
        return this.chat.receive(member, message, now);
      case 'roomListRequest':
        if (this.options.privateRooms) return this.counters.drop('not_allowed');
        if (!this.directory.request(member, message.subscribe, now)) this.counters.drop('rate_limited');
        return;
      case 'move':
        return this.moves.move(member, message, counter, now);
      case 'leave':
        this.counters.leaves++;
        this.log.info({ room: member.room.name, member: member.id, name: member.name }, 'member left');
        return this.depart(member, this.membership.leave(member, now), now);
      default:
        // WELCOME info, PONG, ROSTER, MEMBER_STATE and BYE flow relay → client only.
        this.counters.drop('not_allowed');
    }
  }

  /** Whoever is left in the room a member departed gets the new roster, and the directory's readers the change. */
  private depart(member: Member, remaining: Room | undefined, now: number): void {
    this.chat.left(member);
    this.directory.left(member);
    if (remaining) this.rosters.broadcast(remaining, now);
    if (!member.room.outside) this.directory.changed();
  }
}
