import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { formatAddress } from '../../server/shared/address.js';
import { TransportHandlers, type DatagramTransport } from './datagram-transport.js';

export interface RelayAddress {
  host: string;
  port: number;
}

/**
 * The client's UDP edge: one socket "connected" to the relay, so the kernel
 * drops datagrams from anyone else and sends skip the address lookup.
 * `rebind` swaps in a fresh socket (new local port), which is what a network
 * change looks like to the relay.
 */
export class UdpTransport extends TransportHandlers implements DatagramTransport {
  readonly kind = 'udp';
  private socket: Socket | undefined;
  sent = 0;
  bytesSent = 0;
  received = 0;
  bytesReceived = 0;

  private constructor(private readonly target: { address: string; port: number; family: 'udp4' | 'udp6' }) {
    super();
  }

  static async open(target: RelayAddress): Promise<UdpTransport> {
    const address = isIP(target.host) ? target.host : (await lookup(target.host)).address;
    const transport = new UdpTransport({ address, port: target.port, family: isIP(address) === 6 ? 'udp6' : 'udp4' });
    await transport.bindFresh();
    return transport;
  }

  private async bindFresh(): Promise<void> {
    const socket = createSocket({ type: this.target.family, recvBufferSize: 1 << 20 });
    socket.on('message', (datagram) => {
      this.received++;
      this.bytesReceived += datagram.length;
      this.handler(datagram);
    });
    socket.on('error', (error) => this.errorHandler(error));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(this.target.port, this.target.address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
  }

  send(datagram: Uint8Array): void {
    if (!this.socket) return;
    this.sent++;
    this.bytesSent += datagram.length;
    this.socket.send(datagram);
  }

  get localPort(): number | undefined {
    return this.socket?.address().port;
  }

  get relay(): RelayAddress {
    return { host: this.target.address, port: this.target.port };
  }

  get relayAddress(): string {
    return formatAddress(this.target.address, this.target.port);
  }

  /** Moves to a new local port, as a change of network would. */
  async rebind(): Promise<void> {
    const old = this.socket;
    this.socket = undefined;
    old?.close();
    await this.bindFresh();
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }
}
