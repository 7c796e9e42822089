import { networkInterfaces } from 'node:os';
import { formatAddress } from '../shared/address.js';

/** Global unicast, 2000::/3: the IPv6 addresses that reach this machine from anywhere (its firewall permitting). */
export function isGlobalIpv6(address: string): boolean {
  const first = Number.parseInt(address.split(':')[0] ?? '', 16);
  return Number.isFinite(first) && first >= 0x2000 && first <= 0x3fff;
}

/** Where friends can reach this machine: every non-loopback address, IPv4 first. */
export function shareableAddresses(boundHost: string, port: number): string[] {
  if (boundHost !== '::' && boundHost !== '0.0.0.0') return [formatAddress(boundHost, port)];
  const addresses: { family: string; text: string }[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (boundHost === '0.0.0.0' && entry.family !== 'IPv4') continue;
      // Only global IPv6: link-local needs a zone index that differs per machine, and unique-local
      // (fc00::/7) is the home network's own, already reachable by its IPv4 address.
      if (entry.family === 'IPv6' && !isGlobalIpv6(entry.address)) continue;
      addresses.push({ family: entry.family, text: formatAddress(entry.address, port) });
    }
  }
  return addresses.sort((a, b) => (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1)).map((a) => a.text);
}
