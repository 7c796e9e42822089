import type { Endpoint } from './endpoint.js';
import { encodeControl } from '../protocol/control.js';
import { RTP_HEADER_BYTES } from '../protocol/rtp.js';
import type { RelayCounters } from './counters.js';
import type { Outbox } from './outbox.js';

/**
 * What forwarding reads of a member: the relay's own members on the main
 * thread, and each worker's replicas of them, are both this.
 */
export interface ForwardedMember extends Endpoint {
  readonly id: number;
  readonly flags: { readonly muted: boolean; readonly deafened: boolean };
  readonly room: { readonly members: readonly ForwardedMember[] };
  readonly uplinkLoss: { onPacket(sequence: number): void };
  lastHeardAt: number;
  isAt(endpoint: Endpoint): boolean;
  withinBudget(bytes: number, now: number): boolean;
  mayNoticeOtherAddress(now: number): boolean;
}

/**
 * What the forwarding hot path asks of membership: the member an SSRC
 * belongs to (its room's members hang off it). Kept this narrow so that each
 * worker of a relay spread over several can answer it from its own replica.
 */
export interface MembershipDirectory<M extends ForwardedMember = ForwardedMember> {
  member(id: number): M | undefined;
}

/**
 * The media hot path: an RTP packet from a member, as it came, to everyone
 * else in its room who is listening. Nothing is allocated beyond what dgram
 * does per send; the relay never reads the (end-to-end encrypted) payload.
 */
export class Forwarder {
  constructor(
    private readonly directory: MembershipDirectory,
    private readonly outbox: Outbox,
    private readonly counters: RelayCounters,
  ) {}

  forward(datagram: Buffer, remote: Endpoint, now: number): void {
    if (datagram.length < RTP_HEADER_BYTES) return this.counters.drop('truncated');
    const sender = this.directory.member(datagram.readUInt32BE(8));
    if (!sender) return this.counters.drop('unknown_ssrc');
    if (!sender.isAt(remote)) return this.refuseFromOtherAddress(sender, datagram, remote, now);
    if (!sender.withinBudget(datagram.length, now)) return this.counters.drop('rate_limited');
    sender.lastHeardAt = now;
    if (sender.flags.muted) return this.counters.drop('not_allowed');
    sender.uplinkLoss.onPacket(datagram.readUInt16BE(2));
    const members = sender.room.members;
    for (let i = 0; i < members.length; i++) {
      const listener = members[i]!;
      // Never back to the sender; a deafened member asked not to receive audio.
      if (listener === sender || listener.flags.deafened) continue;
      this.outbox.media(datagram, listener);
    }
  }

  /**
   * Media under a member's id from an address not its own is dropped, and its sender told so
   * (UNKNOWN_ADDRESS, a few times a second at most): a client that a NAT rebinding moved then
   * proves itself with a sealed message, which moves it, at once rather than at its next ping.
   */
  private refuseFromOtherAddress(member: ForwardedMember, datagram: Buffer, remote: Endpoint, now: number): void {
    this.counters.drop('address_mismatch');
    if (!member.mayNoticeOtherAddress(now)) return;
    this.outbox.control(encodeControl({ type: 'unknownAddress', memberId: member.id, sequence: datagram.readUInt16BE(2) }), remote);
  }
}
