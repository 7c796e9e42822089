import { createSocket, type Socket, type SocketOptions } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { explainListenError } from './listen-error.js';

/** Why a relay could not start, in words for the person who asked it to. */
export class RelayStartError extends Error {
  constructor(
    readonly code: 'portInUse' | 'permissionDenied' | 'addressUnavailable' | 'unknown',
    message: string,
  ) {
    super(message);
    this.name = 'RelayStartError';
  }
}

function explainBindError(error: NodeJS.ErrnoException, host: string, port: number): RelayStartError {
  const { code, message } = explainListenError(error, 'UDP', host, port);
  return new RelayStartError(code, message);
}

/**
 * dgram resolves the destination of every send, and dns.lookup answers even
 * an IP literal on a later tick: a queued callback per forwarded datagram.
 * Members' addresses are always literals (read from their own datagrams), so
 * answer those at once, which `npm run bench:relay` measured as ~7% less CPU
 * per forwarded packet; anything else still goes to dns.lookup.
 */
const lookupLiteralsAtOnce: NonNullable<SocketOptions['lookup']> = (hostname, options, callback) => {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, options, callback);
};

export type UdpType = 'udp4' | 'udp6';

/**
 * Binds one UDP socket. With `reusePort`, other sockets of this process may bind the same port
 * (SO_REUSEPORT): the kernel then spreads senders across them by address, which is how a relay
 * runs one socket per worker.
 */
export function bindRelaySocket(type: UdpType, address: string, port: number, reusePort = false): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type, ipv6Only: false, reusePort, recvBufferSize: 4 << 20, sendBufferSize: 4 << 20, lookup: lookupLiteralsAtOnce });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      reject(explainBindError(error, address, port));
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/**
 * A socket for a relay whose workers will share its port. Any socket of the
 * same user that sets SO_REUSEPORT may join a port's group, so a second relay
 * started on a taken port would bind without error and take half the first
 * one's members. So the port is first bound alone, which fails if anyone holds
 * it (a relay with workers included), and only then bound to share.
 */
async function bindToShare(type: UdpType, address: string, port: number): Promise<Socket> {
  const alone = await bindRelaySocket(type, address, port, false);
  const free = alone.address().port;
  await new Promise<void>((resolve) => alone.close(() => resolve()));
  return bindRelaySocket(type, address, free, true);
}

export async function createRelaySocket(host: string | undefined, port: number, reusePort = false): Promise<Socket> {
  const bind = (type: UdpType, address: string): Promise<Socket> => (reusePort ? bindToShare(type, address, port) : bindRelaySocket(type, address, port));
  if (host !== undefined) return bind(host.includes(':') ? 'udp6' : 'udp4', host);
  try {
    return await bind('udp6', '::');
  } catch (error) {
    // Without IPv6 (disabled kernel, some containers) serve IPv4 alone; a taken port is a real error.
    if ((error as RelayStartError).code === 'portInUse') throw error;
    return bind('udp4', '0.0.0.0');
  }
}
