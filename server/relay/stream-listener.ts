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
  /** Connections counted against the limits: every open one, a TLS one from before its handshake. */
  private admitted = 0;
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
    const server = createServer({ noDelay: true }, (socket) => {
      if (this.admit(socket)) this.serve(socket);
    });
    return this.listen(server, 'TCP', host, port);
  }

  /**
   * Listens for TLS. The limits apply to the raw connection, before its
   * handshake, so a flood of half-done handshakes is held to them too; the
   * handshake must finish within `firstFrameMs`, as a first frame must.
   */
  listenTls(host: string, tls: TlsListenOptions): Promise<number> {
    const server = createTlsServer({ cert: tls.cert, key: tls.key, handshakeTimeout: this.limits.firstFrameMs }, (socket) => this.serve(socket));
    server.on('connection', (raw: Socket) => void this.admit(raw));
    // A failed TLS handshake (a scanner, a plain-TCP client) is the peer's problem, not the relay's. A reset is
    // someone going away (or a connection refused above, counted there), not abuse.
    server.on('tlsClientError', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') this.counters.cutStream('idle');
      else if (error.code !== 'ECONNRESET') this.counters.cutStream('garbage');
    });
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

  /**
   * Counts a new connection against the limits, or refuses it (closed at
   * once, counted); its place is given back when it closes.
   */
  private admit(socket: Socket): boolean {
    // A socket reset before we saw it has no address; errors after this are the peer going, never ours to throw.
    socket.on('error', () => {});
    const address = socket.remoteAddress;
    if (address === undefined) {
      socket.destroy();
      return false;
    }
    if (this.admitted >= this.limits.maxConnections) return this.refuse(socket, 'connection_limit');
    const key = addressKey(address);
    const fromAddress = this.perAddress.get(key) ?? 0;
    if (fromAddress >= this.limits.perAddress) return this.refuse(socket, 'per_address_limit');
    this.perAddress.set(key, fromAddress + 1);
    this.admitted++;
    this.counters.streamsAccepted++;
    this.counters.streamsOpen = this.admitted;
    socket.once('close', () => {
      this.admitted--;
      this.counters.streamsOpen = this.admitted;
      const left = (this.perAddress.get(key) ?? 1) - 1;
      if (left > 0) this.perAddress.set(key, left);
      else this.perAddress.delete(key);
    });
    return true;
  }

  /** An admitted connection (a TLS one once its handshake is done) becomes a StreamConnection: the relay hears it from now on. */
  private serve(socket: Socket): void {
    socket.on('error', () => {});
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    if (address === undefined || port === undefined) return void socket.destroy();
    const connection = new StreamConnection(socket, address, port, this.sink, this.limits, this.counters, this.clock.now());
    this.connections.add(connection);
    socket.on('data', (chunk: Buffer) => connection.onData(chunk, this.clock.now()));
    socket.once('close', () => this.connections.delete(connection));
  }

  private refuse(socket: Socket, reason: 'connection_limit' | 'per_address_limit'): false {
    this.counters.cutStream(reason);
    socket.destroy();
    return false;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const connection of this.connections) connection.sweep(now);
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    const closing = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const connection of this.connections) connection.close();
    await Promise.all(closing);
  }
}
