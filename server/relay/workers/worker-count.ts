import { availableParallelism } from 'node:os';
import { MAX_WORKERS } from '../options.js';

/** One worker per core, as many as a relay can use. */
export function defaultWorkerCount(cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, MAX_WORKERS));
}

/**
 * Why this system cannot spread a port's datagrams over several sockets, or
 * undefined when it can: Node binds with SO_REUSEPORT from 22.12 and 23.1,
 * and only Linux balances datagrams across the sockets sharing a port (other
 * systems hand them all to one socket, or refuse the second bind).
 */
export function reusePortUnsupported(platform: NodeJS.Platform = process.platform, nodeVersion: string = process.versions.node): string | undefined {
  if (platform !== 'linux') return `sockets sharing a port are balanced only on Linux, not ${platform}`;
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  const supported = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
  return supported ? undefined : `Node ${nodeVersion} cannot share a UDP port between sockets (22.12 and 23.1 or later can)`;
}
