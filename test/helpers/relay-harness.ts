import { createSocket, type Socket } from 'node:dgram';
import { afterEach } from 'vitest';
import { startRelay, type RelayHandle, type RelayOptions } from '../../server/index.js';
import { RelaySession, type SessionOptions } from '../../electron/net/session.js';
import { UdpTransport } from '../../electron/net/udp-transport.js';
import { UdpProxy } from '../support/udp-proxy.js';
import { relayOnLoopback } from './relay.js';

type JoinOptions = Omit<SessionOptions, 'relay'>;

/**
 * What one relay test opens on loopback (relays, sessions, proxies, raw
 * sockets, transports), each kept as it is opened and closed after the test:
 * the sessions leave together, then the sockets and transports close, then
 * the proxies, and the relays last, so no member is dropped by a relay that
 * closed under it.
 */
export class RelayHarness {
  /** Every session the test opened, in order. */
  readonly sessions: RelaySession[] = [];
  private readonly sockets: { close(): void }[] = [];
  private readonly proxies: UdpProxy[] = [];
  private readonly relays: RelayHandle[] = [];

  /** A relay on 127.0.0.1 at a free port. */
  async relay(options: RelayOptions = {}): Promise<RelayHandle> {
    return this.keepRelay(await relayOnLoopback(options));
  }

  /** A relay where `options` say (another host, a given port). */
  async relayAt(options: RelayOptions): Promise<RelayHandle> {
    return this.keepRelay(await startRelay(options));
  }

  /** A member of `relay`, or of whatever listens at `via` on 127.0.0.1 (a proxy before it). */
  join(via: RelayHandle | UdpProxy, options: JoinOptions): Promise<RelaySession> {
    const port = via instanceof UdpProxy ? via.port : via.address.port;
    return this.connect({ relay: { host: '127.0.0.1', port }, ...options });
  }

  /** A member at any address. */
  async connect(options: SessionOptions): Promise<RelaySession> {
    const session = await RelaySession.connect(options);
    this.sessions.push(session);
    return session;
  }

  /** A proxy in front of `relay` (recording what crosses it, when asked). */
  async proxy(relay: RelayHandle | { port: number }, record = false): Promise<UdpProxy> {
    const port = 'address' in relay ? relay.address.port : relay.port;
    const proxy = await UdpProxy.start({ target: { host: '127.0.0.1', port } });
    proxy.record = record;
    this.proxies.push(proxy);
    return proxy;
  }

  /** A plain UDP socket bound at `host` (another loopback address is another source). */
  async socket(host = '127.0.0.1'): Promise<Socket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    this.sockets.push(socket);
    return socket;
  }

  /** A client's UDP transport to `relay`, for a handshake done by hand. */
  async transport(relay: RelayHandle): Promise<UdpTransport> {
    const transport = await UdpTransport.open({ host: '127.0.0.1', port: relay.address.port });
    this.sockets.push(transport);
    return transport;
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.splice(0).map((session) => session.leave()));
    for (const socket of this.sockets.splice(0)) {
      try {
        socket.close();
      } catch (error) {
        // A test may close a socket itself to show what happens after; anything else is a real failure.
        if ((error as NodeJS.ErrnoException).code !== 'ERR_SOCKET_DGRAM_NOT_RUNNING') throw error;
      }
    }
    for (const proxy of this.proxies.splice(0)) await proxy.close();
    await Promise.all(this.relays.splice(0).map((relay) => relay.close()));
  }

  private keepRelay(relay: RelayHandle): RelayHandle {
    this.relays.push(relay);
    return relay;
  }
}

/** A harness for each test of the enclosing describe, closed after each. */
export function relayHarness(): RelayHarness {
  const harness = new RelayHarness();
  afterEach(() => harness.close());
  return harness;
}
