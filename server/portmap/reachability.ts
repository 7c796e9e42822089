import { isIPv4 } from 'node:net';
import { formatAddress } from '../shared/address.js';
import type { MappingStatus } from './port-mapper.js';

/** Who can join a room hosted here, in one word for the interface and one sentence for the host. */
export interface Reachability {
  verdict: 'checking' | 'anywhere' | 'lanOnly' | 'sharedAddress' | 'thisComputer';
  message: string;
  /** `host:port` friends outside should use, when there is one: first in the invite and the list. */
  publicAddress: string | null;
}

export interface ReachabilityInput {
  /** The relay's port on this machine. */
  port: number;
  /** This machine's address on the home network; undefined with no network. */
  lanAddress: string | undefined;
  /** What the router did, or 'off' when the host chose not to ask. */
  mapping: MappingStatus | 'off';
}

/**
 * Private (RFC 1918), carrier-grade NAT (RFC 6598, 100.64.0.0/10), loopback and
 * link-local IPv4: an address no one outside can send to.
 */
export function isUnreachableFromOutside(address: string): boolean {
  if (!isIPv4(address)) return false;
  const [a = 0, b = 0] = address.split('.').map(Number);
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

const SHARED =
  'Your provider shares one address among many homes: hosting from here needs a relay on a server. Only people on your network can join this room.';

/** The verdict, from what is known; a pure function of its input. */
export function reachability({ port, lanAddress, mapping }: ReachabilityInput): Reachability {
  if (lanAddress === undefined) {
    return { verdict: 'thisComputer', message: 'Only people on this computer can join: it has no network address to share.', publicAddress: null };
  }
  // No router in between: this machine's own address is public.
  if (!isUnreachableFromOutside(lanAddress)) {
    const publicAddress = formatAddress(lanAddress, port);
    return { verdict: 'anywhere', message: `Friends anywhere can join at ${publicAddress}.`, publicAddress };
  }
  const forward = `Forward UDP ${port} to ${lanAddress} in your router's settings.`;
  if (mapping === 'off') {
    return { verdict: 'lanOnly', message: `Only people on your network can join: asking your router to open the port is off. ${forward}`, publicAddress: null };
  }
  switch (mapping.state) {
    case 'mapping':
      return { verdict: 'checking', message: 'Asking your router to open the port…', publicAddress: null };
    case 'noRouter':
      return { verdict: 'lanOnly', message: `Only people on your network can join: no router answered the request to open the port. ${forward}`, publicAddress: null };
    case 'refused':
      if (mapping.externalAddress !== null && isUnreachableFromOutside(mapping.externalAddress)) return { verdict: 'sharedAddress', message: SHARED, publicAddress: null };
      return { verdict: 'lanOnly', message: `Only people on your network can join: your router did not open the port. ${forward}`, publicAddress: null };
    case 'mapped': {
      if (isUnreachableFromOutside(mapping.externalAddress)) return { verdict: 'sharedAddress', message: SHARED, publicAddress: null };
      const publicAddress = formatAddress(mapping.externalAddress, mapping.udpPort);
      return { verdict: 'anywhere', message: `Friends anywhere can join at ${publicAddress} (your router opened the port).`, publicAddress };
    }
  }
}
