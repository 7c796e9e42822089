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
}

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
] as const satisfies readonly (keyof RelayBenchResult)[];

export const VOICE_PPS = 50;

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
  if (spec.impl === 'naive' && spec.rooms !== 1) {
    throw new RangeError('the naive relay has no rooms (it sends every packet to everyone): use --rooms 1');
  }
  const smallest = Math.min(...roomSizes(spec));
  if (smallest < 2) throw new RangeError(`rooms need at least 2 members to forward anything; ${spec.members} members in ${spec.rooms} rooms leave one with ${smallest}`);
  if (spec.talkersPerRoom > smallest) {
    throw new RangeError(`${spec.talkersPerRoom} talkers per room do not fit in the smallest room (${smallest} members)`);
  }
}
