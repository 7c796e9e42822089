import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import { addressKey } from './address-key.js';
import type { RelayCounters } from './counters.js';
import { explainListenError } from './listen-error.js';
import type { StreamLimits, TlsListenOptions } from './options.js';
import { RelayStartError } from './relay-socket.js';
import { StreamConnection, type DatagramSink } from './stream-connection.js';

/**
 * The relay's stream side, for clients whose network blocks UDP: TCP on the
 * UDP socket's port number and, when asked, TLS on a port of its own. Every
 * frame goes to the same `receive` as a UDP datagram, so a stream member is a
 * member like any other. Connections are limited per address and in all, and
 * one sweep timer cuts those that dawdle, so a flood of idle connections
 * holds a bounded set of sockets for seconds and never delays UDP members.
 */
export class StreamListener {
  private readonly servers: Server[] = [];
  private readonly connections = new Set<StreamConnection>();
  private readonly perAddress = new Map<string, number>();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(
    private readonly sink: DatagramSink,
    private readonly limits: StreamLimits,
    private readonly counters: RelayCounters,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.sweepTimer = setInterval(() => this.sweep(), limits.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Listens for plain TCP; resolves with the port bound. */
  listenTcp(host: string, port: number): Promise<number> {
    return this.listen(createServer({ noDelay: true }, (socket) => this.accept(socket)), 'TCP', host, port);
  }

  /** Listens for TLS; the handshake must finish within `firstFrameMs`, as a first frame must. */
  listenTls(host: string, tls: TlsListenOptions): Promise<number> {
    const server = createTlsServer({ cert: tls.cert, key: tls.key, handshakeTimeout: this.limits.firstFrameMs }, (socket) => this.accept(socket));
    // A failed TLS handshake (a scanner, a plain-TCP client) is the peer's problem, not the relay's.
    server.on('tlsClientError', () => this.counters.cutStream('garbage'));
    return this.listen(server, 'TCP', host, tls.port);
  }

  private listen(server: Server, transport: 'TCP', host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const { code, message } = explainListenError(error, transport, host, port);
        reject(new RelayStartError(code, message));
      });
      server.listen({ port, host, ipv6Only: false }, () => {
        server.removeAllListeners('error');
        server.on('error', (error) => this.log.warn({ err: error }, 'stream listener error'));
        this.servers.push(server);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private accept(socket: Socket): void {
    // A socket reset before we saw it has no address; errors after this are the peer going, never ours to throw.
    socket.on('error', () => {});
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    if (address === undefined || port === undefined) return void socket.destroy();
    if (this.connections.size >= this.limits.maxConnections) return this.refuse(socket, 'connection_limit');
    const key = addressKey(address);
    const fromAddress = this.perAddress.get(key) ?? 0;
    if (fromAddress >= this.limits.perAddress) return this.refuse(socket, 'per_address_limit');
    this.perAddress.set(key, fromAddress + 1);
    const connection = new StreamConnection(socket, address, port, this.sink, this.limits, this.counters, this.clock.now());
    this.connections.add(connection);
    this.counters.streamsAccepted++;
    this.counters.streamsOpen = this.connections.size;
    socket.on('data', (chunk: Buffer) => connection.onData(chunk, this.clock.now()));
    socket.once('close', () => {
      this.connections.delete(connection);
      this.counters.streamsOpen = this.connections.size;
      const left = (this.perAddress.get(key) ?? 1) - 1;
      if (left > 0) this.perAddress.set(key, left);
      else this.perAddress.delete(key);
    });
  }

  private refuse(socket: Socket, reason: 'connection_limit' | 'per_address_limit'): void {
    this.counters.cutStream(reason);
    socket.destroy();
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const connection of this.connections) connection.sweep(now);
  }

  get openConnections(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    const closing = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const connection of this.connections) connection.close();
    await Promise.all(closing);
  }
}
