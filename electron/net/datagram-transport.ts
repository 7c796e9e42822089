import type { RelayAddress } from './udp-transport.js';

export type DatagramHandler = (datagram: Buffer) => void;

/** Which way datagrams go to the relay: UDP, or framed on a TCP stream when UDP is blocked. */
export type TransportKind = 'udp' | 'tcp';

export interface TransportCounts {
  sent: number;
  bytesSent: number;
  received: number;
  bytesReceived: number;
}

/**
 * What the handshake and the session need of the way to the relay: whole
 * datagrams in and out, whatever carries them. Sends never throw; failures
 * arrive at the error handler.
 */
export interface DatagramTransport extends TransportCounts {
  readonly kind: TransportKind;
  readonly localPort: number | undefined;
  readonly relayAddress: string;
  readonly relay: RelayAddress;
  onDatagram(handler: DatagramHandler): void;
  /** Returns the handler it replaces. */
  onError(handler: (error: Error) => void): (error: Error) => void;
  send(datagram: Uint8Array): void;
  /** Moves to a new local port, as a change of network would. */
  rebind(): Promise<void>;
  close(): void;
}

/**
 * Where a transport delivers what it hears and the errors it meets: one
 * handler of each, replaced by whoever is listening now (the handshake, then
 * the session).
 */
export abstract class TransportHandlers {
  protected handler: DatagramHandler = () => {};
  protected errorHandler: (error: Error) => void = () => {};

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** Send failures (unreachable relay, firewall, a stream reset) arrive here instead of throwing. Returns the handler it replaces. */
  onError(handler: (error: Error) => void): (error: Error) => void {
    const previous = this.errorHandler;
    this.errorHandler = handler;
    return previous;
  }
}
