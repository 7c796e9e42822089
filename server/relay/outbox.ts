import type { Socket } from 'node:dgram';
import type { SessionMessage } from '../protocol/session-messages.js';
import type { RelayCounters } from './counters.js';
import type { Endpoint } from './endpoint.js';
import type { Member } from './member.js';

/** Where a datagram goes: a member, or the source of one that came in (over UDP, or back down its stream). */
export type Destination = Endpoint;

/**
 * Everything the relay sends leaves through here, so each datagram is counted
 * once, by kind, whether it goes over UDP or down a member's stream. UDP sends take no callback: failures (ENOBUFS, EPERM from a
 * firewall) surface as the socket's 'error' event, which the relay counts.
 */
export class Outbox {
  constructor(
    private readonly socket: Socket,
    private readonly counters: RelayCounters,
  ) {}

  /** A media packet forwarded as it came: the hot path, no allocation beyond what dgram does. */
  media(datagram: Buffer, to: Destination): void {
    if (to.stream === undefined) this.socket.send(datagram, to.port, to.address);
    else to.stream.send(datagram);
    this.counters.mediaForwarded++;
    this.counters.bytesOut += datagram.length;
  }

  control(datagram: Buffer, to: Destination): void {
    this.counters.controlSent++;
    this.counters.bytesOut += datagram.length;
    if (to.stream === undefined) this.socket.send(datagram, to.port, to.address);
    else to.stream.send(datagram);
  }

  /** A session message sealed under the member's relay-to-client key, to where the member is now. */
  sealed(member: Member, message: SessionMessage): void {
    this.control(member.sender.seal(message), member);
  }
}
