import { readFileSync } from 'node:fs';

/** Descriptors the generator holds besides its members' sockets: stdio, the IPC channel, libuv's own, the inspector's. */
const SPARE_DESCRIPTORS = 200;

/** The process's soft limit on open files (what `ulimit -n` says), read from /proc: Node has no getrlimit. */
export function openFilesLimit(): number {
  const match = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  if (!match) throw new Error('no "Max open files" in /proc/self/limits');
  return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

/** How many ephemeral ports sockets bound to port 0 may get. The range is per network namespace. */
export function ephemeralPortCount(): number {
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  if (low === undefined || high === undefined || !(high >= low)) throw new Error('unreadable /proc/sys/net/ipv4/ip_local_port_range');
  return high - low + 1;
}

/**
 * Refuses to start when this process (where it runs: in its own network
 * namespace, too) cannot open a socket per member: each takes a descriptor
 * and an ephemeral port, and running out part-way would look like members
 * the relay failed to admit.
 */
export function checkSocketBudget(members: number): void {
  const descriptors = openFilesLimit();
  if (members + SPARE_DESCRIPTORS > descriptors) {
    throw new Error(`${members} members need ${members + SPARE_DESCRIPTORS} open files, but this process may open ${descriptors} (raise ulimit -n)`);
  }
  const ports = ephemeralPortCount();
  if (members > ports) throw new Error(`${members} members need as many ephemeral ports; net.ipv4.ip_local_port_range here has ${ports}`);
}
