import type { RelayStats } from '../counters.js';
import type { RateLimitOptions } from '../options.js';
import type { UplinkTally } from '../uplink-loss.js';

/**
 * What the main thread and a forwarding worker say to each other. Structured
 * clone carries them (no hand-written encoding): they are few per member, not
 * per packet, except a datagram for a member on a stream.
 */

/** What a worker is started with (its `workerData`). */
export interface WorkerInit {
  worker: number;
  /** The socket type and address the main thread bound; the worker binds the same, sharing the port. */
  type: 'udp4' | 'udp6';
  address: string;
  port: number;
  rateLimit: RateLimitOptions;
  reportIntervalMs: number;
}

/** One member as forwarding needs it: where it is, which room it is in, and whether it sends or hears. */
export interface MemberReplica {
  id: number;
  /** The room's `key`, unique for the life of the relay. */
  room: number;
  address: string;
  port: number;
  /** On a stream (TCP, TLS) whose socket only the main thread holds: media for it goes there. */
  viaStream: boolean;
  muted: boolean;
  deafened: boolean;
}

export type ToWorker =
  /** A member joined or changed; `tally` comes when the member roamed, so whichever worker now counts its media carries on. */
  | { type: 'member'; member: MemberReplica; tally?: UplinkTally }
  | { type: 'left'; id: number }
  | { type: 'cleared' }
  /** Report now rather than at the next interval. */
  | { type: 'report'; requestId: number }
  | { type: 'close' };

/** What a worker did, counted since it started. */
export interface WorkerReport {
  worker: number;
  stats: RelayStats;
  /** This thread's own CPU time, in microseconds. */
  cpu: { user: number; system: number };
  /** Members whose media arrived since the last report, with their uplink tallies: keeps the main thread's timeouts and loss reports true. */
  heard: [id: number, tally: UplinkTally][];
  /** Set when the report answers a `report` request. */
  requestId?: number;
}

export type FromWorker =
  | { type: 'bound' }
  | { type: 'bindFailed'; code: string; message: string }
  /**
   * A control datagram the worker's socket received, for the main thread to handle. `budgetSpent`: it
   * came from the address of the member it names, whose budget the worker charged already (the worker
   * holds that budget, since all the member's datagrams arrive there). `tally`: that member's uplink
   * tally as the worker counts it, so a PONG answered now reports loss up to this moment.
   */
  | { type: 'control'; datagram: Uint8Array; address: string; port: number; budgetSpent: boolean; tally?: [id: number, tally: UplinkTally] }
  /** Media for a member on a stream, which only the main thread can write to. */
  | { type: 'toStream'; id: number; datagram: Uint8Array }
  /** One of our own bugs, caught in the worker; logged by the main thread. */
  | { type: 'error'; message: string; detail: string }
  | ({ type: 'report' } & WorkerReport);
