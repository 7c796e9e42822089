import type { Logger } from 'pino';
import type { MemberFlags } from '../../server/protocol/constants.js';
import type { ListedRoom } from './directory-sync.js';
import type { ReceiverReport } from '../../server/protocol/session-messages.js';
import type { Clock } from '../../server/shared/clock.js';
import type { TransportKind } from './datagram-transport.js';
import type { HandshakeTiming } from './handshake.js';
import type { JoinError } from './join-error.js';
import type { BackoffDelays } from './reconnect.js';
import type { PeerInfo } from './roster.js';
import type { RelayAddress } from './udp-transport.js';

/** The session's vocabulary: what it is asked for, and what it tells. */

/** `relayRestarting`: the relay said it is draining (a restart, or its pod being moved), and we left it at once. */
export type DisconnectReason = 'connectionLost' | 'relayClosed' | 'relayRestarting' | 'sessionExpired';

export type ReconnectingStatus = { state: 'reconnecting'; reason: DisconnectReason; attempt: number; retryInMs: number; lastError?: string };
export type ClosedStatus = { state: 'closed'; reason: 'left' | 'failed'; error?: JoinError };

/** What a session shows its user: joining, in the room, trying to get back in, or done. */
export type SessionStatus = { state: 'connecting' } | { state: 'connected' } | ReconnectingStatus | ClosedStatus;

export interface MediaArrival {
  peerId: number;
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  /** 48-bit packet index (sequence extended across wraps). */
  index: number;
  payload: Uint8Array;
  arrivalMs: number;
}

export interface LinkReport {
  rttMs: number;
  /** Tenths of a percent; LOSS_UNKNOWN when nothing was measured. */
  uplinkLossPermille: number;
  downlinkLossPermille: number;
}

export interface SessionEvents {
  status: [SessionStatus];
  roster: [PeerInfo[]];
  media: [MediaArrival];
  link: [LinkReport];
  /** Sends moved to UDP or TCP. */
  transport: [TransportKind];
  /** The relay's directory, whole, each time it changes (once watched). */
  directory: [ListedRoom[]];
  /** We moved to this room in the same session. */
  moved: [string];
}

/** Where a move goes: the room's secret, if it has one we know, and whether a room the move creates is hidden. */
export interface MoveTarget {
  secret?: string | undefined;
  hidden?: boolean | undefined;
}

export interface SessionOptions {
  relay: RelayAddress;
  /** The room to join; empty to browse the relay's directory first (see RelaySession.moveTo). */
  room: string;
  /** Keep a room this join creates out of the relay's directory. */
  hiddenRoom?: boolean | undefined;
  name: string;
  password?: string | undefined;
  /** The room secret from the invite: media is end-to-end encrypted with a key derived from it. */
  secret?: string | undefined;
  flags?: Partial<MemberFlags>;
  clock?: Clock;
  logger?: Logger;
  handshake?: HandshakeTiming;
  /** Backoff between reconnect attempts, doubling from the first to the last value. */
  reconnectDelaysMs?: BackoffDelays;
  /**
   * `auto` (the default) tries UDP and falls back to TCP when UDP is
   * blocked; `udp` and `tcp` keep to one (a test, or `parley join --transport`).
   */
  transport?: 'auto' | TransportKind;
  /** The engine's per-peer loss and jitter, sent with each ping so senders learn how they are heard. */
  receiverReports?: () => ReceiverReport[];
}
