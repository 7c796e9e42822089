import type { Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import { RelayCounters } from './counters.js';
import type { ResolvedRelayOptions } from './options.js';
import type { Relay } from './relay.js';
import { RelayStartError } from './relay-socket.js';
import { StreamListener } from './stream-listener.js';

export interface StreamSide {
  tcpPort: number | undefined;
  tlsPort: number | undefined;
  close(): Promise<void>;
}

/** A UDP port picked at random may be free for UDP and taken for TCP: pick again, this many times. */
const FREE_PORT_ATTEMPTS = 5;

/**
 * Opens the relay's UDP socket and, on the same port number, its TCP
 * listener (and TLS, when asked), then the relay over both. Asked for port
 * 0, it keeps the first port free for both; asked for a port, a TCP port
 * taken is as much an error as a UDP one.
 */
export async function openStreamSide(
  options: ResolvedRelayOptions,
  openUdp: () => Promise<Socket>,
  makeRelay: (socket: Socket, counters: RelayCounters) => Relay,
  clock: Clock,
  log: Logger,
): Promise<{ socket: Socket; relay: Relay; streams: StreamSide }> {
  for (let attempt = 1; ; attempt++) {
    const socket = await openUdp();
    const counters = new RelayCounters();
    let relay: Relay | undefined;
    const listener = new StreamListener({ receive: (datagram, from) => relay?.receive(datagram, from) }, options.streamLimits, counters, clock, log);
    const bound = socket.address() as AddressInfo;
    try {
      const tcpPort = options.tcp ? await listener.listenTcp(bound.address, bound.port) : undefined;
      const tlsPort = options.tls ? await listener.listenTls(bound.address, options.tls) : undefined;
      relay = makeRelay(socket, counters);
      return { socket, relay, streams: { tcpPort, tlsPort, close: () => listener.close() } };
    } catch (error) {
      await listener.close();
      socket.close();
      const retry = options.port === 0 && error instanceof RelayStartError && error.code === 'portInUse' && attempt < FREE_PORT_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}
