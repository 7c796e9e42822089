import { networkInterfaces } from 'node:os';
import { formatAddress } from '../shared/address.js';

/** Where friends can reach this machine: every non-loopback address, IPv4 first. */
export function shareableAddresses(boundHost: string, port: number): string[] {
  if (boundHost !== '::' && boundHost !== '0.0.0.0') return [formatAddress(boundHost, port)];
  const addresses: { family: string; text: string }[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (boundHost === '0.0.0.0' && entry.family !== 'IPv4') continue;
      // Link-local IPv6 needs a zone index that differs per machine: not something to paste to a friend.
      if (entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80:')) continue;
      addresses.push({ family: entry.family, text: formatAddress(entry.address, port) });
    }
  }
  return addresses.sort((a, b) => (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1)).map((a) => a.text);
}
