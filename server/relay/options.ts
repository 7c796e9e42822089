import type { Logger } from 'pino';
import { TIMING } from '../protocol/constants.js';
import type { Clock } from '../shared/clock.js';
import type { Timers } from '../shared/timers.js';
import type { LockoutPolicy } from './password-lockout.js';
import type { AddressRate } from './per-address-budget.js';

export interface RateLimitOptions {
  packetsPerSecond: number;
  burstPackets: number;
  bytesPerSecond: number;
  burstBytes: number;
}

/** Budgets each source address (an IPv6 /64 counting as one) has of its own. */
export interface PerAddressLimits {
  /**
   * Sealed messages naming a member but arriving from another address: a
   * roam, or a forgery. They are opened (authenticated) within this budget,
   * and never spend the member's own until they prove to be its.
   */
  unverifiedSealed: AddressRate;
  /** HELLOs answered; below the relay-wide ceiling (ten times `joinsPerSecond`). */
  hellos: AddressRate;
  /** JOINs considered; below the relay-wide ceiling `joinsPerSecond`, so one address cannot spend it all. */
  joins: AddressRate;
  /** How many addresses each per-address table remembers at most, least recently used forgotten first. */
  maxAddresses: number;
}

/** What one stream connection (TCP, TLS) may hold and how long it may dawdle. */
export interface StreamLimits {
  /** Connections open at once, all addresses together; more are closed at once (and counted). */
  maxConnections: number;
  /** Connections open at once from one address (an IPv6 /64 counting as one). */
  perAddress: number;
  /** A new connection must deliver a whole frame within this, or it is cut (a half-open flood costs nothing for long). */
  firstFrameMs: number;
  /** A connection with no whole frame for this long is cut; a member pings every 2 s. */
  idleMs: number;
  /** A frame begun must be complete within this (slowloris: a header, then a byte now and then). */
  partialFrameMs: number;
  /** Bytes queued to a connection not yet taken by its reader; over this, the reader is too slow and is cut. */
  maxQueuedBytes: number;
  /** How often the timeouts above are checked. */
  sweepIntervalMs: number;
}

export interface TlsListenOptions {
  port: number;
  /** PEM certificate chain and private key. */
  cert: string | Buffer;
  key: string | Buffer;
}

export interface RelayOptions {
  /** Default `::`, which also serves IPv4 where the system allows; falls back to 0.0.0.0. */
  host?: string;
  /** Default 47000; 0 picks a free port. */
  port?: number;
  /** When set, joiners must prove they know it (HMAC challenge, never sent). */
  password?: string;
  /**
   * Rooms whose secret this relay keeps: the app hosting a room passes its own,
   * so a friend who joins by plain address (no invite) still gets the key,
   * sealed in WELCOME. A standalone relay keeps none and never holds a media key.
   */
  roomSecrets?: Record<string, string>;
  /**
   * Rooms locked with a password, by name: the password is the room's secret (media stays end-to-end
   * encrypted among members, but this relay knows the key). Listed even while empty; never handed out.
   */
  roomPasswords?: Record<string, string>;
  /** Keep the room directory to the relay: no one is shown the rooms, and a joiner must name one. */
  privateRooms?: boolean;
  maxRooms?: number;
  maxMembersPerRoom?: number;
  maxMembers?: number;
  /** Per member, media and control together. */
  rateLimit?: Partial<RateLimitOptions>;
  perAddress?: Partial<PerAddressLimits>;
  /** Joins considered per second across the relay, all addresses together, before it answers "busy". */
  joinsPerSecond?: number;
  /** The wait after repeated wrong passwords from one address. */
  passwordLockout?: Partial<LockoutPolicy>;
  memberTimeoutMs?: number;
  pingIntervalMs?: number;
  rosterIntervalMs?: number;
  cookiePeriodMs?: number;
  /** How often the relay looks for silent members and due rosters: often, so each look is short. */
  maintenanceIntervalMs?: number;
  /** Also listen on TCP at the UDP socket's port number, for clients whose network blocks UDP. Default true. */
  tcp?: boolean;
  /** Also listen for TLS-wrapped streams (on 443, say, for networks that let only HTTPS out). */
  tls?: TlsListenOptions;
  streamLimits?: Partial<StreamLimits>;
  /** Serve Prometheus text on this port (0 picks one); off when undefined. */
  metricsPort?: number;
  metricsHost?: string;
  /** An event-loop tick later than this marks the relay stalled: `/healthz` answers 503. Default 2000. */
  maxLoopLagMs?: number;
  /**
   * Forwarding workers, each with its own socket on the port (SO_REUSEPORT): the main thread and
   * `workers - 1` worker threads. Default 1. Where sockets cannot share a port (not Linux, an older
   * Node) the relay runs one and says so in its log. The clock below is the main thread's; workers
   * keep time by the system's.
   */
  workers?: number;
  logger?: Logger;
  clock?: Clock;
  /** The timers a drain and the event-loop watch wait on; a simulated clock's in tests. */
  timers?: Timers;
}

/**
 * Defaults sized for voice: 10 ms frames are 100 packets/s, RED at most
 * doubles a packet, so twice that with a one-second burst leaves headroom
 * while one flooding member still cannot crowd out a room.
 */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  packetsPerSecond: 200,
  burstPackets: 200,
  bytesPerSecond: 64_000,
  burstBytes: 64_000,
};

/**
 * A NAT that rebinds every member behind it at once roams them all in one
 * burst; a hundred covers a large office, and a forger gets no more AEAD
 * opens than that from one address.
 */
export const DEFAULT_PER_ADDRESS_LIMITS: PerAddressLimits = {
  unverifiedSealed: { perSecond: 50, burst: 100 },
  // A household or office behind one address rejoining after a relay restart fits in the burst.
  hellos: { perSecond: 50, burst: 100 },
  joins: { perSecond: 20, burst: 40 },
  maxAddresses: 10_000,
};

/**
 * Sized so that an office behind one address fits, a flood of idle
 * connections is gone within seconds, and a member's queue holds about a
 * second of a full room's audio (64 members × 100 packets/s × ~100 bytes is
 * 640 kB/s at the worst; a quiet room needs far less) before its reader is
 * called too slow.
 */
export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxConnections: 1000,
  perAddress: 16,
  firstFrameMs: 5_000,
  idleMs: 20_000,
  partialFrameMs: 2_000,
  maxQueuedBytes: 256 * 1024,
  sweepIntervalMs: 250,
};

/** As a login form: five tries, then 1 s, doubling with each further wrong one, to at most 5 minutes. */
export const DEFAULT_PASSWORD_LOCKOUT: LockoutPolicy = {
  freeAttempts: 5,
  firstBlockMs: 1_000,
  maxBlockMs: 5 * 60_000,
  forgetAfterMs: 15 * 60_000,
};

export type ResolvedRelayOptions = Required<
  Omit<RelayOptions, 'password' | 'metricsPort' | 'logger' | 'clock' | 'timers' | 'rateLimit' | 'perAddress' | 'passwordLockout' | 'host' | 'roomSecrets' | 'roomPasswords' | 'tls' | 'streamLimits'>
> & {
  host: string | undefined;
  password: string | undefined;
  metricsPort: number | undefined;
  rateLimit: RateLimitOptions;
  perAddress: PerAddressLimits;
  passwordLockout: LockoutPolicy;
  tls: TlsListenOptions | undefined;
  streamLimits: StreamLimits;
};

/**
 * More workers than this buys nothing on any host a relay runs on: the main thread, which holds
 * every session, becomes the limit first, and each worker is another copy of membership.
 */
export const MAX_WORKERS = 16;

/** HELLOs a relay answers per second, all addresses together: each costs an HMAC, so a spoofed flood is bounded too. */
export const hellosPerSecond = (options: Pick<ResolvedRelayOptions, 'joinsPerSecond'>): number => options.joinsPerSecond * 10;

export function resolveOptions(options: RelayOptions): ResolvedRelayOptions {
  const resolved: ResolvedRelayOptions = {
    host: options.host,
    port: options.port ?? 47000,
    password: options.password === '' ? undefined : options.password,
    maxRooms: options.maxRooms ?? 1000,
    maxMembersPerRoom: options.maxMembersPerRoom ?? 64,
    maxMembers: options.maxMembers ?? 5000,
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...options.rateLimit },
    perAddress: { ...DEFAULT_PER_ADDRESS_LIMITS, ...options.perAddress },
    passwordLockout: { ...DEFAULT_PASSWORD_LOCKOUT, ...options.passwordLockout },
    joinsPerSecond: options.joinsPerSecond ?? 500,
    memberTimeoutMs: options.memberTimeoutMs ?? TIMING.memberTimeoutMs,
    pingIntervalMs: options.pingIntervalMs ?? TIMING.pingIntervalMs,
    rosterIntervalMs: options.rosterIntervalMs ?? TIMING.rosterIntervalMs,
    cookiePeriodMs: options.cookiePeriodMs ?? TIMING.cookiePeriodMs,
    maintenanceIntervalMs: options.maintenanceIntervalMs ?? 50,
    metricsPort: options.metricsPort,
    metricsHost: options.metricsHost ?? '127.0.0.1',
    maxLoopLagMs: options.maxLoopLagMs ?? 2_000,
    workers: options.workers ?? 1,
    tcp: options.tcp ?? true,
    privateRooms: options.privateRooms ?? false,
    tls: options.tls,
    streamLimits: { ...DEFAULT_STREAM_LIMITS, ...options.streamLimits },
  };
  if (!Number.isInteger(resolved.workers) || resolved.workers < 1 || resolved.workers > MAX_WORKERS) {
    throw new RangeError(`workers must be a whole number from 1 to ${MAX_WORKERS}, not ${resolved.workers}`);
  }
  belowCeiling('joins', resolved.perAddress.joins, resolved.joinsPerSecond);
  belowCeiling('hellos', resolved.perAddress.hellos, hellosPerSecond(resolved));
  return resolved;
}

/** A relay-wide ceiling is kept only if no one address can spend it. */
function belowCeiling(what: string, perAddress: AddressRate, ceiling: number): void {
  if (perAddress.perSecond >= ceiling || perAddress.burst >= ceiling) {
    throw new RangeError(`perAddress.${what} (${perAddress.perSecond}/s, burst ${perAddress.burst}) must stay below the relay-wide ${ceiling}/s, or one address could spend it all`);
  }
}
