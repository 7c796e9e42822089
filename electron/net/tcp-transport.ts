import { connect, type Socket } from 'node:net';
import { isRtp } from '../../server/protocol/rtp.js';
import { encodeFrame, FrameDecoder } from '../../server/protocol/stream-framing.js';
import { formatAddress } from '../../server/shared/address.js';
import { TransportHandlers, type DatagramTransport } from './datagram-transport.js';
import type { RelayAddress } from './udp-transport.js';

/**
 * Datagrams waiting for a TCP stream that cannot take them yet (connecting,
 * or the kernel's buffer full), at most this many; one more pushes out the
 * oldest media packet, so a stalled stream costs lost audio, never a growing
 * delay. Ten 20 ms packets is 200 ms; control messages are never dropped here.
 */
export const TCP_QUEUED_DATAGRAMS = 10;

/**
 * The client's TCP edge, for networks that block UDP: the same datagrams,
 * each framed by its length (server/protocol/stream-framing.ts), over one
 * connection to the relay's TCP port. It connects at once and queues what is
 * sent meanwhile; a connection the relay or the network closed stays closed
 * (`open` is false) until `reconnect()`.
 */
export class TcpTransport extends TransportHandlers implements DatagramTransport {
  readonly kind = 'tcp';
  private socket: Socket | undefined;
  private connected = false;
  private readonly queue: Buffer[] = [];
  private decoder = new FrameDecoder();
  sent = 0;
  bytesSent = 0;
  received = 0;
  bytesReceived = 0;
  /** Media packets pushed out of a full queue. */
  droppedMedia = 0;

  constructor(readonly relay: RelayAddress) {
    super();
    this.reconnect();
  }

  /** Whether a connection is up or on its way. */
  get open(): boolean {
    return this.socket !== undefined;
  }

  reconnect(): void {
    this.socket?.destroy();
    this.connected = false;
    this.decoder = new FrameDecoder();
    const socket = connect({ host: this.relay.host, port: this.relay.port, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => {
      // Each datagram leaves at once: Nagle's wait for an ACK would hold audio back by up to a delayed-ACK period.
      socket.setNoDelay(true);
      this.connected = true;
      this.flush();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.flush());
    socket.on('error', (error) => this.errorHandler(error));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.connected = false;
    });
  }

  private onData(chunk: Buffer): void {
    const { frames, error } = this.decoder.push(chunk);
    for (const frame of frames) {
      this.received++;
      this.bytesReceived += frame.length;
      this.handler(frame);
    }
    if (error) {
      this.errorHandler(new Error(`the relay's stream broke its framing: ${error.message}`));
      this.socket?.destroy();
    }
  }

  send(datagram: Uint8Array): void {
    if (!this.socket) return;
    const frame = encodeFrame(datagram);
    this.sent++;
    this.bytesSent += datagram.length;
    if (this.connected && this.queue.length === 0 && !this.socket.writableNeedDrain) {
      this.socket.write(frame);
      return;
    }
    this.queue.push(frame);
    if (this.queue.length > TCP_QUEUED_DATAGRAMS) this.dropOldestMedia();
  }

  /** Datagrams waiting for the stream to take them (at most TCP_QUEUED_DATAGRAMS, but for control). */
  get queued(): number {
    return this.queue.length;
  }

  private dropOldestMedia(): void {
    const oldest = this.queue.findIndex((frame) => isRtp(frame.subarray(2)));
    if (oldest < 0) return;
    this.queue.splice(oldest, 1);
    this.droppedMedia++;
  }

  private flush(): void {
    const socket = this.socket;
    if (!socket || !this.connected) return;
    while (this.queue.length > 0 && !socket.writableNeedDrain) socket.write(this.queue.shift()!);
  }

  get localPort(): number | undefined {
    return this.socket?.localPort;
  }

  get relayAddress(): string {
    return formatAddress(this.relay.host, this.relay.port);
  }

  /** A new connection is a new source port, as a change of network would be. */
  rebind(): Promise<void> {
    this.reconnect();
    return Promise.resolve();
  }

  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.queue.length = 0;
    if (!socket) return;
    // What is queued (LEAVE, twice) still leaves; the socket goes within a second whatever the relay does.
    socket.end();
    setTimeout(() => socket.destroy(), 1_000).unref();
  }
}
