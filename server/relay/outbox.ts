import type { Socket } from 'node:dgram';
import type { SessionMessage } from '../protocol/session-messages.js';
import type { RelayCounters } from './counters.js';
import type { Member } from './member.js';

/** Where a datagram goes: a member, or the source of one that came in. */
export interface Destination {
  readonly address: string;
  readonly port: number;
}

/**
 * Everything the relay sends leaves through here, so each datagram is counted
 * once, by kind. Sends take no callback: failures (ENOBUFS, EPERM from a
 * firewall) surface as the socket's 'error' event, which the relay counts.
 */
export class Outbox {
  constructor(
    private readonly socket: Socket,
    private readonly counters: RelayCounters,
  ) {}

  /** A media packet forwarded as it came: the hot path, no allocation beyond what dgram does. */
  media(datagram: Buffer, to: Destination): void {
    this.socket.send(datagram, to.port, to.address);
    this.counters.mediaForwarded++;
    this.counters.bytesOut += datagram.length;
  }

  control(datagram: Buffer, to: Destination): void {
    this.counters.controlSent++;
    this.counters.bytesOut += datagram.length;
    this.socket.send(datagram, to.port, to.address);
  }

  /** A session message sealed under the member's relay-to-client key, to where the member is now. */
  sealed(member: Member, message: SessionMessage): void {
    this.control(member.sender.seal(message), member);
  }
}
