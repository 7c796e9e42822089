import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readlinkSync } from 'node:fs';

/** Every namespace this benchmark makes is named `parley-bench-<pid of the run>-<random>`. */
const PREFIX = 'parley-bench-';
/** 198.18.0.0/15 is set aside for benchmarking (RFC 2544), so it collides with no real network; a /30 is picked in its first half. */
const BENCH_NET = '198.18.0.0';
const SUBNETS_OF_4 = 1 << 14;

/**
 * A network namespace for the load generator, joined to the root namespace
 * by a veth pair: the relay listens on the root end, the members' sockets
 * live at the other, so the two sides' sockets are in separate network
 * stacks instead of both on loopback.
 */
export interface BenchNetns {
  name: string;
  /** The root namespace's end: where the relay listens. */
  relayHost: string;
  /** The namespace's end: the one address every member sends from. */
  memberHost: string;
  /** Deletes the namespace and the veth pair; safe to call more than once. */
  dispose(): void;
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function ipQuietly(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // Already gone.
  }
}

const dotted = (address: number): string => [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
const parseIpv4 = (text: string): number => text.split('.').reduce((value, part) => ((value << 8) | Number(part)) >>> 0, 0);

/** Whether two IPv4 prefixes share any address. */
function overlaps(a: number, aBits: number, b: number, bBits: number): boolean {
  const bits = Math.min(aBits, bBits);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** A random /30 in the benchmarking range that no address on this machine is in (another run's, say). */
function pickSubnet(): number {
  const taken = (JSON.parse(ip('-j', '-4', 'addr', 'show')) as { addr_info?: { local: string; prefixlen: number }[] }[])
    .flatMap((link) => link.addr_info ?? [])
    .map(({ local, prefixlen }) => ({ address: parseIpv4(local), bits: prefixlen }));
  for (let attempt = 0; attempt < 100; attempt++) {
    const subnet = parseIpv4(BENCH_NET) + randomInt(SUBNETS_OF_4) * 4;
    if (!taken.some(({ address, bits }) => overlaps(subnet, 30, address, bits))) return subnet;
  }
  throw new Error('no free /30 in 198.18.0.0/16 for the benchmark namespace');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes namespaces left by runs that were killed outright (SIGKILL leaves
 * no chance to clean up): their name holds the run's pid, which is gone.
 * Each one's veth pair goes with it.
 */
function removeAbandoned(): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ', 1)[0] ?? '';
    const pid = Number(/^parley-bench-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) ipQuietly('netns', 'del', name);
  }
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes the namespace and the veth pair (needs root and iproute2), and sees
 * that they are deleted however the run ends: by `dispose()` (call it in a
 * `finally`), on process exit, or on SIGINT, SIGTERM or SIGHUP, after which
 * the signal is raised again so the run still ends as it would have.
 */
export function createBenchNetns(): BenchNetns {
  if (process.getuid?.() !== 0) throw new Error('--netns needs root: it creates a network namespace and a veth pair with ip');
  removeAbandoned();
  const id = randomBytes(3).toString('hex');
  const name = `${PREFIX}${process.pid}-${id}`;
  // Interface names have at most 15 characters.
  const rootEnd = `pbr${id}`;
  const namespaceEnd = `pbn${id}`;
  const subnet = pickSubnet();
  const relayHost = dotted(subnet + 1);
  const memberHost = dotted(subnet + 2);

  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    process.off('exit', dispose);
    for (const signal of EXIT_SIGNALS) process.off(signal, onSignal);
    // Deleting either end deletes both; the namespace goes once the last process in it has.
    ipQuietly('link', 'del', rootEnd);
    ipQuietly('netns', 'del', name);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    dispose();
    process.kill(process.pid, signal);
  };
  process.on('exit', dispose);
  for (const signal of EXIT_SIGNALS) process.once(signal, onSignal);

  try {
    ip('netns', 'add', name);
    ip('link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', namespaceEnd, 'netns', name);
    ip('addr', 'add', `${relayHost}/30`, 'dev', rootEnd);
    ip('link', 'set', rootEnd, 'up');
    ip('-n', name, 'addr', 'add', `${memberHost}/30`, 'dev', namespaceEnd);
    ip('-n', name, 'link', 'set', namespaceEnd, 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
  } catch (error) {
    dispose();
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`could not set up the benchmark's network namespace: ${stderr || String(error)}`, { cause: error });
  }
  return { name, relayHost, memberHost, dispose };
}

/** The benchmark's namespaces that exist right now (to check none outlives its run). */
export function benchNamespaces(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ', 1)[0] ?? '')
    .filter((name) => name.startsWith(PREFIX));
}

/**
 * Whether this process is in a network namespace other than its parent's.
 * Without the check, a generator left in the root namespace would still
 * reach the relay (the veth's root end is a local address) over loopback.
 */
export function inOwnNetns(): boolean {
  return readlinkSync('/proc/self/ns/net') !== readlinkSync(`/proc/${process.ppid}/ns/net`);
}
