/** Which relay a case measures: Parley's, or the seed design it replaced. */
export type RelayImpl = 'parley' | 'naive';

/** One benchmark case: who joins, who talks, how fast, and for how long. */
export interface RelayBenchCase {
  impl: RelayImpl;
  members: number;
  rooms: number;
  talkersPerRoom: number;
  /** Per talker: 50 is 20 ms Opus frames. */
  packetsPerSecond: number;
  /** The measured window, after the warm-up. */
  seconds: number;
  warmupSeconds: number;
  /**
   * Overrides Parley's per-member rate limit, for cases that push one member
   * past voice rates to find the relay's ceiling. The check still runs.
   */
  memberRateLimitPps?: number | undefined;
  /** The share of Parley members, in percent, that join and talk over TCP instead of UDP (spread evenly over talkers and listeners). */
  tcpSharePct?: number | undefined;
  /** Parley's `startRelay({ workers })`: UDP sockets sharing the port, one per thread. Default 1; the naive relay has one socket. */
  workers?: number | undefined;
}

/** One relay worker over the measured window (from two reads of the relay's `workerStats()`). */
export interface WorkerWindow {
  worker: number;
  /** That thread's user + system CPU over the window, in percent of one core. */
  cpuPct: number;
  packetsIn: number;
  mediaForwarded: number;
}

/** The one JSON line a case prints; the field names are the benchmark's contract. */
export interface RelayBenchResult {
  bench: 'relay';
  impl: RelayImpl;
  clients: number;
  rooms: number;
  talkersPerRoom: number;
  tcpSharePct: number;
  offeredPps: number;
  expectedForwardPps: number;
  forwardedPps: number;
  lossPct: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  relayCpuPct: number;
  relayRssMb: number;
  /** The relay process's CPU (all threads) over the window, in µs, per packet the members received: null when none arrived. */
  cpuUsPerForward: number | null;
  generatorCpuPct: number;
  /** How many workers the relay actually ran (1 for a relay without workers). */
  workers: number;
  /** Per worker over the window, when the relay reports `workerStats()`; null otherwise. */
  perWorker: WorkerWindow[] | null;
  /** Whether the load generator ran in a network namespace of its own, reaching the relay over a veth pair. */
  netns: boolean;
}

/** What the load generator measures itself; the rest of the line comes from the relay process and the harness. */
export type GeneratorResult = Omit<RelayBenchResult, 'workers' | 'perWorker' | 'netns'>;

export const RESULT_FIELDS = [
  'bench',
  'impl',
  'clients',
  'rooms',
  'talkersPerRoom',
  'tcpSharePct',
  'offeredPps',
  'expectedForwardPps',
  'forwardedPps',
  'lossPct',
  'p50Ms',
  'p99Ms',
  'maxMs',
  'relayCpuPct',
  'relayRssMb',
  'cpuUsPerForward',
  'generatorCpuPct',
  'workers',
  'perWorker',
  'netns',
] as const satisfies readonly (keyof RelayBenchResult)[];

export const VOICE_PPS = 50;

/** More threads than this on one port is a typo, not a case. */
export const MAX_WORKERS = 64;

export function voiceCase(impl: RelayImpl, members: number, rooms: number, talkersPerRoom = 1, seconds = 10): RelayBenchCase {
  return { impl, members, rooms, talkersPerRoom, packetsPerSecond: VOICE_PPS, seconds, warmupSeconds: 2 };
}

/** Rooms get members round-robin, so sizes differ by at most one. */
export function roomSizes(spec: Pick<RelayBenchCase, 'members' | 'rooms'>): number[] {
  return Array.from({ length: spec.rooms }, (_, room) => Math.floor(spec.members / spec.rooms) + (room < spec.members % spec.rooms ? 1 : 0));
}

/** Refuses cases the harness cannot run as described, with a reason a person can act on. */
export function validateCase(spec: RelayBenchCase): void {
  const positiveInteger = (name: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  };
  positiveInteger('members', spec.members);
  positiveInteger('rooms', spec.rooms);
  positiveInteger('talkers', spec.talkersPerRoom);
  positiveInteger('pps', spec.packetsPerSecond);
  if (!(spec.seconds > 0) || !(spec.warmupSeconds >= 0)) throw new RangeError('seconds must be > 0 and warm-up >= 0');
  if (spec.seconds > 600 || spec.warmupSeconds > 60) throw new RangeError('a case runs at most 600 s after at most 60 s of warm-up');
  // Each member owns a socket; stay well inside the 20,000 descriptors a process may open here.
  if (spec.members > 10_000) throw new RangeError('at most 10,000 members (one UDP socket each)');
  const tcp = spec.tcpSharePct ?? 0;
  if (!(tcp >= 0 && tcp <= 100)) throw new RangeError(`the TCP share is a percentage from 0 to 100, got ${tcp}`);
  if (tcp > 0 && spec.impl === 'naive') throw new RangeError('the naive relay has no TCP side: leave --tcp-share out');
  const workers = spec.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) throw new RangeError(`workers must be an integer from 1 to ${MAX_WORKERS}, got ${workers}`);
  if (workers > 1 && spec.impl === 'naive') throw new RangeError('the naive relay has one socket and no workers: leave --workers out');
  if (spec.impl === 'naive' && spec.rooms !== 1) {
    throw new RangeError('the naive relay has no rooms (it sends every packet to everyone): use --rooms 1');
  }
  const smallest = Math.min(...roomSizes(spec));
  if (smallest < 2) throw new RangeError(`rooms need at least 2 members to forward anything; ${spec.members} members in ${spec.rooms} rooms leave one with ${smallest}`);
  if (spec.talkersPerRoom > smallest) {
    throw new RangeError(`${spec.talkersPerRoom} talkers per room do not fit in the smallest room (${smallest} members)`);
  }
}
