import type { RejectCodeName } from '../protocol/control.js';
import type { DropReason } from '../protocol/errors.js';

export type PacketKind = 'media' | 'control';

/** Why the relay cut a stream connection (TCP, TLS) off, or refused it at once. */
export type StreamCutReason =
  | 'oversized'
  | 'empty'
  | 'garbage'
  | 'idle'
  | 'slow_sender'
  | 'slow_reader'
  | 'per_address_limit'
  | 'connection_limit'
  | 'socket_error';

/**
 * Plain counters on the hot path (a property increment per packet); the
 * Prometheus view reads them only when scraped.
 */
export class RelayCounters {
  packetsIn: Record<PacketKind, number> = { media: 0, control: 0 };
  bytesIn = 0;
  mediaForwarded = 0;
  controlSent = 0;
  bytesOut = 0;
  sendErrors = 0;
  joins = 0;
  leaves = 0;
  timeouts = 0;
  roams = 0;
  /** Members that moved to another room in their session. */
  moves = 0;
  readonly dropped = new Map<DropReason, number>();
  /** Joins answered with a REJECT, by code (badCookie is counted as the drop `bad_cookie` instead). */
  readonly refused = new Map<RejectCodeName, number>();
  /** Moves to another room refused, by code. */
  readonly movesRefused = new Map<RejectCodeName, number>();
  streamsAccepted = 0;
  streamsOpen = 0;
  /** Datagrams to a stream member dropped because its connection was gone (the member may be on its way back over UDP). */
  streamSendsDropped = 0;
  readonly streamsCut = new Map<StreamCutReason, number>();

  cutStream(reason: StreamCutReason): void {
    this.streamsCut.set(reason, (this.streamsCut.get(reason) ?? 0) + 1);
  }

  drop(reason: DropReason): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  refuse(code: RejectCodeName): void {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
  }

  refuseMove(code: RejectCodeName): void {
    this.movesRefused.set(code, (this.movesRefused.get(code) ?? 0) + 1);
  }

  droppedTotal(): number {
    let total = 0;
    for (const count of this.dropped.values()) total += count;
    return total;
  }
}

export interface RelayStats {
  rooms: number;
  members: number;
  packetsIn: number;
  mediaIn: number;
  controlIn: number;
  bytesIn: number;
  mediaForwarded: number;
  controlSent: number;
  bytesOut: number;
  sendErrors: number;
  joins: number;
  leaves: number;
  timeouts: number;
  roams: number;
  moves: number;
  dropped: Partial<Record<DropReason, number>>;
  droppedTotal: number;
  refused: Partial<Record<RejectCodeName, number>>;
  movesRefused: Partial<Record<RejectCodeName, number>>;
  streamsAccepted: number;
  streamsOpen: number;
  streamSendsDropped: number;
  streamsCut: Partial<Record<StreamCutReason, number>>;
}

export function snapshotStats(counters: RelayCounters, rooms: number, members: number): RelayStats {
  return {
    rooms,
    members,
    packetsIn: counters.packetsIn.media + counters.packetsIn.control,
    mediaIn: counters.packetsIn.media,
    controlIn: counters.packetsIn.control,
    bytesIn: counters.bytesIn,
    mediaForwarded: counters.mediaForwarded,
    controlSent: counters.controlSent,
    bytesOut: counters.bytesOut,
    sendErrors: counters.sendErrors,
    joins: counters.joins,
    leaves: counters.leaves,
    timeouts: counters.timeouts,
    roams: counters.roams,
    moves: counters.moves,
    dropped: Object.fromEntries(counters.dropped),
    droppedTotal: counters.droppedTotal(),
    refused: Object.fromEntries(counters.refused),
    movesRefused: Object.fromEntries(counters.movesRefused),
    streamsAccepted: counters.streamsAccepted,
    streamsOpen: counters.streamsOpen,
    streamSendsDropped: counters.streamSendsDropped,
    streamsCut: Object.fromEntries(counters.streamsCut),
  };
}

/** Two sets of stats counted apart (the relay's workers) as one: every count summed, by reason and code too. */
export function addStats(a: RelayStats, b: RelayStats): RelayStats {
  const sum = { ...a } as Record<keyof RelayStats, unknown>;
  for (const key of Object.keys(b) as (keyof RelayStats)[]) {
    const left = a[key];
    const right = b[key];
    if (typeof left === 'number' && typeof right === 'number') {
      sum[key] = left + right;
    } else if (typeof left === 'object' && typeof right === 'object') {
      const merged: Record<string, number> = { ...left };
      for (const [reason, count] of Object.entries(right)) merged[reason] = (merged[reason] ?? 0) + (count ?? 0);
      sum[key] = merged;
    }
  }
  return sum as RelayStats;
}
