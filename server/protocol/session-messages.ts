import { ByteReader, ByteWriter } from './bytes.js';
import { LIMITS, MAX_ROOM_SECRET_BYTES } from './constants.js';
import { MEDIA_SALT_BYTES, PROOF_BYTES } from './crypto.js';
import { ProtocolError } from './errors.js';
import { decodeRoomList, encodeRoomList, type RoomList, type RoomListRequest } from './directory/room-list.js';
import { decodeMove, decodeMoved, encodeMove, encodeMoved, type Move, type Moved } from './directory/room-move.js';

export type { RoomList, RoomListRequest } from './directory/room-list.js';
export type { Move, Moved } from './directory/room-move.js';

/**
 * The messages that travel inside SEALED envelopes once a member has joined.
 * Only the two ends of a session can read or forge them.
 */
export const SessionKind = {
  welcomeInfo: 1,
  ping: 2,
  pong: 3,
  state: 4,
  roster: 5,
  memberState: 6,
  leave: 7,
  bye: 8,
  rosterRequest: 9,
  chatChunk: 10,
  chatAck: 11,
  chatReady: 12,
  roomListRequest: 13,
  roomList: 14,
  move: 15,
  moved: 16,
} as const;

/** `draining`: the relay is stopping soon (a restart, or its pod is being moved); it still serves the member meanwhile. */
export const ByeReason = { relayShutdown: 1, timedOut: 2, draining: 3 } as const;
export type ByeReasonName = keyof typeof ByeReason;
const byeNames = new Map<number, ByeReasonName>(Object.entries(ByeReason).map(([n, c]) => [c, n as ByeReasonName]));

export { MAX_ROOM_SECRET_BYTES } from './constants.js';

/** Loss in tenths of a percent; this value means "nothing measured yet". */
export const LOSS_UNKNOWN = 0xffff;

/**
 * One interval's loss as a receiver report carries it (RFC 3550 §6.4.1's
 * fraction lost, in tenths of a percent): packets expected in the interval
 * (from the extended highest sequence number) against packets received.
 * Duplicates can make received exceed expected; that is no loss, not a gain.
 */
export function intervalLossPermille(expected: number, received: number): number {
  if (expected <= 0) return LOSS_UNKNOWN;
  const lost = Math.max(0, expected - received);
  return Math.min(1000, Math.round((1000 * lost) / expected));
}

export interface WelcomeInfo {
  kind: 'welcomeInfo';
  pingIntervalMs: number;
  memberTimeoutMs: number;
  maxMembersPerRoom: number;
  /** All zero unless the relay has a password: then it proves the relay knows it too. */
  relayProof: Uint8Array;
  /**
   * The room's secret, when a hosting app's relay keeps one and the joiner came
   * by plain address (no room key): sealed under the session keys. Empty otherwise.
   */
  roomSecret: string;
}

export interface ReceiverReport {
  ssrc: number;
  lossPermille: number;
  jitterMs: number;
}

export interface Ping {
  kind: 'ping';
  pingId: number;
  reports: ReceiverReport[];
}

export interface Pong {
  kind: 'pong';
  pingId: number;
  /** Loss the relay measured on this member's media on the way in. */
  uplinkLossPermille: number;
  /** Worst loss the member's listeners report for it (relay to them). */
  downlinkLossPermille: number;
}

export interface State {
  kind: 'state';
  flags: number;
}

export interface RosterMember {
  id: number;
  flags: number;
  mediaSalt: Uint8Array;
  name: string;
}

export interface Roster {
  kind: 'roster';
  revision: number;
  page: number;
  pageCount: number;
  members: RosterMember[];
}

export interface MemberState {
  kind: 'memberState';
  revision: number;
  id: number;
  flags: number;
}

export interface Leave {
  kind: 'leave';
}
export interface RosterRequest {
  kind: 'rosterRequest';
}
export interface Bye {
  kind: 'bye';
  reason: ByeReasonName;
}

/**
 * One piece of a chat message on the session's reliable channel (server/protocol/reliable/): its number, the
 * sender's floor, and where in its message it lies. A client's chunks carry its posts; the
 * relay's carry deliveries (server/protocol/chat/chat-messages.ts).
 */
export interface ChatChunk {
  kind: 'chatChunk';
  seq: number;
  floor: number;
  /** The first chunk of its message. */
  first: boolean;
  /** More chunks of the same message follow. */
  more: boolean;
  bytes: Uint8Array;
}

const CHUNK_FIRST = 1;
const CHUNK_MORE = 2;

/** The receiving side's acknowledgement of chat chunks (server/protocol/reliable/ack.ts). */
export interface ChatAck {
  kind: 'chatAck';
  cumulative: number;
  selective: number;
}

/** A relay that carries chat says so once a member joins (an older relay never does), with its limit. */
export interface ChatReady {
  kind: 'chatReady';
  maxChars: number;
  /**
   * Names the room's current history: it changes when the room empties and its history goes, so a client that
   * comes back knows whether the numbers it saw before still mean the same messages.
   */
  historyId: number;
}

export type SessionMessage =
  | WelcomeInfo
  | Ping
  | Pong
  | State
  | Roster
  | MemberState
  | Leave
  | Bye
  | RosterRequest
  | ChatChunk
  | ChatAck
  | ChatReady
  | RoomListRequest
  | RoomList
  | Move
  | Moved;

const ROSTER_HEADER_BYTES = 1 + 4 + 1 + 1 + 1;

export function rosterEntryBytes(member: RosterMember): number {
  return 4 + 1 + MEDIA_SALT_BYTES + 1 + Buffer.byteLength(member.name);
}

export function encodeSessionMessage(message: SessionMessage): Buffer {
  const writer = new ByteWriter(64).u8(SessionKind[message.kind]);
  switch (message.kind) {
    case 'welcomeInfo':
      writer
        .u16(message.pingIntervalMs)
        .u32(message.memberTimeoutMs)
        .u16(message.maxMembersPerRoom)
        .bytes(message.relayProof)
        .shortString(message.roomSecret, MAX_ROOM_SECRET_BYTES);
      break;
    case 'ping':
      if (message.reports.length > LIMITS.maxReportEntries) throw new RangeError('too many receiver reports');
      writer.u32(message.pingId).u8(message.reports.length);
      for (const report of message.reports) writer.u32(report.ssrc).u16(report.lossPermille).u16(report.jitterMs);
      break;
    case 'pong':
      writer.u32(message.pingId).u16(message.uplinkLossPermille).u16(message.downlinkLossPermille);
      break;
    case 'state':
      writer.u8(message.flags);
      break;
    case 'roster':
      writer.u32(message.revision).u8(message.page).u8(message.pageCount).u8(message.members.length);
      for (const member of message.members) {
        writer.u32(member.id).u8(member.flags).bytes(member.mediaSalt).shortString(member.name, LIMITS.maxDisplayNameBytes);
      }
      break;
    case 'memberState':
      writer.u32(message.revision).u32(message.id).u8(message.flags);
      break;
    case 'bye':
      writer.u8(ByeReason[message.reason]);
      break;
    case 'chatChunk':
      writer
        .u32(message.seq)
        .u32(message.floor)
        .u8((message.first ? CHUNK_FIRST : 0) | (message.more ? CHUNK_MORE : 0))
        .bytes(message.bytes);
      break;
    case 'chatAck':
      writer.u32(message.cumulative).u32(message.selective);
      break;
    case 'chatReady':
      writer.u16(message.maxChars).u32(message.historyId);
      break;
    case 'roomListRequest':
      writer.u8(message.subscribe ? 1 : 0);
      break;
    case 'roomList':
      encodeRoomList(writer, message);
      break;
    case 'move':
      encodeMove(writer, message);
      break;
    case 'moved':
      encodeMoved(writer, message);
      break;
    case 'leave':
    case 'rosterRequest':
      break;
  }
  return writer.finish();
}

export function decodeSessionMessage(plaintext: Uint8Array): SessionMessage {
  const reader = new ByteReader(plaintext);
  const kind = reader.u8('session kind');
  let message: SessionMessage;
  switch (kind) {
    case SessionKind.welcomeInfo:
      message = {
        kind: 'welcomeInfo',
        pingIntervalMs: reader.u16('ping interval'),
        memberTimeoutMs: reader.u32('member timeout'),
        maxMembersPerRoom: reader.u16('room capacity'),
        relayProof: Uint8Array.from(reader.bytesOf(PROOF_BYTES, 'relay proof')),
        roomSecret: reader.shortString(MAX_ROOM_SECRET_BYTES, 'room secret'),
      };
      break;
    case SessionKind.ping: {
      const pingId = reader.u32('ping id');
      const count = reader.u8('report count');
      if (count > LIMITS.maxReportEntries) throw new ProtocolError('malformed', `${count} receiver reports`);
      const reports: ReceiverReport[] = [];
      for (let i = 0; i < count; i++) {
        reports.push({ ssrc: reader.u32('report ssrc'), lossPermille: reader.u16('report loss'), jitterMs: reader.u16('report jitter') });
      }
      message = { kind: 'ping', pingId, reports };
      break;
    }
    case SessionKind.pong:
      message = {
        kind: 'pong',
        pingId: reader.u32('pong id'),
        uplinkLossPermille: reader.u16('uplink loss'),
        downlinkLossPermille: reader.u16('downlink loss'),
      };
      break;
    case SessionKind.state:
      message = { kind: 'state', flags: reader.u8('state flags') };
      break;
    case SessionKind.roster: {
      const revision = reader.u32('roster revision');
      const page = reader.u8('roster page');
      const pageCount = reader.u8('roster page count');
      if (pageCount === 0 || page >= pageCount) throw new ProtocolError('malformed', `roster page ${page} of ${pageCount}`);
      const count = reader.u8('roster member count');
      const members: RosterMember[] = [];
      for (let i = 0; i < count; i++) {
        members.push({
          id: reader.u32('member id'),
          flags: reader.u8('member flags'),
          mediaSalt: Uint8Array.from(reader.bytesOf(MEDIA_SALT_BYTES, 'member media salt')),
          name: reader.shortString(LIMITS.maxDisplayNameBytes, 'member name'),
        });
      }
      message = { kind: 'roster', revision, page, pageCount, members };
      break;
    }
    case SessionKind.memberState:
      message = { kind: 'memberState', revision: reader.u32('revision'), id: reader.u32('member id'), flags: reader.u8('flags') };
      break;
    case SessionKind.leave:
      message = { kind: 'leave' };
      break;
    case SessionKind.rosterRequest:
      message = { kind: 'rosterRequest' };
      break;
    case SessionKind.bye: {
      const code = reader.u8('bye reason');
      const reason = byeNames.get(code);
      if (!reason) throw new ProtocolError('malformed', `unknown bye reason ${code}`);
      message = { kind: 'bye', reason };
      break;
    }
    case SessionKind.chatChunk: {
      const seq = reader.u32('chat seq');
      const floor = reader.u32('chat floor');
      const flags = reader.u8('chat chunk flags');
      if (seq === 0 || floor === 0 || flags & ~(CHUNK_FIRST | CHUNK_MORE)) throw new ProtocolError('malformed', `chat chunk ${seq}/${floor}/${flags}`);
      message = { kind: 'chatChunk', seq, floor, first: (flags & CHUNK_FIRST) !== 0, more: (flags & CHUNK_MORE) !== 0, bytes: Uint8Array.from(reader.rest()) };
      break;
    }
    case SessionKind.chatAck:
      message = { kind: 'chatAck', cumulative: reader.u32('chat ack'), selective: reader.u32('chat selective ack') };
      break;
    case SessionKind.chatReady:
      message = { kind: 'chatReady', maxChars: reader.u16('chat limit'), historyId: reader.u32('chat history id') };
      break;
    case SessionKind.roomListRequest: {
      const subscribe = reader.u8('directory subscription');
      if (subscribe > 1) throw new ProtocolError('malformed', `directory subscription ${subscribe}`);
      message = { kind: 'roomListRequest', subscribe: subscribe === 1 };
      break;
    }
    case SessionKind.roomList:
      message = decodeRoomList(reader);
      break;
    case SessionKind.move:
      message = decodeMove(reader);
      break;
    case SessionKind.moved:
      message = decodeMoved(reader);
      break;
    default:
      throw new ProtocolError('unknown_type', `unknown session message kind ${kind}`);
  }
  reader.end(`session message ${message.kind}`);
  return message;
}

/**
 * Splits a room's members into roster pages that each fit one sealed
 * datagram. Always at least one page, so an empty roster still arrives.
 */
export function paginateRoster(revision: number, members: readonly RosterMember[], maxPlaintext: number): Roster[] {
  const pages: RosterMember[][] = [[]];
  let used = ROSTER_HEADER_BYTES;
  for (const member of members) {
    const size = rosterEntryBytes(member);
    const current = pages[pages.length - 1]!;
    if (used + size > maxPlaintext || current.length === 255) {
      pages.push([member]);
      used = ROSTER_HEADER_BYTES + size;
    } else {
      current.push(member);
      used += size;
    }
  }
  if (pages.length > 255) throw new RangeError('roster needs more than 255 pages');
  return pages.map((page, index) => ({ kind: 'roster', revision, page: index, pageCount: pages.length, members: page }));
}
