import { isIPv4, isIPv6 } from 'node:net';

/**
 * What one party controls of a source address, for keying per-address
 * limits: an IPv4 address, or an IPv6 /64 (a site's subnet, inside which one
 * host can pick any of 2^64 addresses). IPv4 clients of a dual-stack socket
 * arrive as `::ffff:a.b.c.d` and are keyed as the IPv4 address they are.
 */
export function addressKey(address: string): string {
  if (isIPv4(address)) return address;
  const unzoned = address.split('%', 1)[0]!;
  if (!isIPv6(unzoned)) return address;
  const groups = ipv6Groups(unzoned);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` and a dotted IPv4 tail expanded. */
function ipv6Groups(address: string): number[] {
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((piece) => {
      if (!piece.includes('.')) return [parseInt(piece, 16)];
      const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head = '', tail] = address.split('::');
  const front = toGroups(head);
  if (tail === undefined) return front;
  const back = toGroups(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}
