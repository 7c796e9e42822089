import { ByteReader, ByteWriter } from './bytes.js';
import { CONTROL_MAGIC, LIMITS, PROTOCOL_VERSION } from './constants.js';
import {
  AEAD_TAG_BYTES,
  CLIENT_NONCE_BYTES,
  COOKIE_BYTES,
  MEDIA_SALT_BYTES,
  PROOF_BYTES,
  PUBLIC_KEY_BYTES,
  RELAY_SALT_BYTES,
  ROOM_PROOF_BYTES,
  ROOM_PUBLIC_KEY_BYTES,
} from './crypto.js';
import { ProtocolError } from './errors.js';

/**
 * Control messages: [0x50][version][type][body]. The handshake messages
 * (HELLO … REJECT) travel in the clear; once joined, everything travels in a
 * SEALED envelope under the session keys (see session.ts for the inner kinds).
 */
export const ControlType = {
  hello: 1,
  cookie: 2,
  join: 3,
  welcome: 4,
  reject: 5,
  unknownSession: 6,
  unknownAddress: 7,
  sealed: 16,
} as const;

export const CONTROL_HEADER_BYTES = 3;

/** Why a relay refused a join. The client turns each into a sentence for its user. */
export const RejectCode = {
  badCookie: 1,
  versionMismatch: 2,
  wrongPassword: 3,
  roomFull: 4,
  relayFull: 5,
  secretMismatch: 6,
  invalidName: 7,
  invalidRoom: 8,
  busy: 9,
  /** Too many wrong passwords from this address: it must wait before the relay checks another. */
  tooManyAttempts: 10,
  /** The relay is stopping soon (a restart, or its pod is being moved) and admits no one new. */
  draining: 11,
  /** The relay does not list its rooms (it runs with --private-rooms): a joiner must name one. */
  roomsPrivate: 12,
} as const;
export type RejectCodeName = keyof typeof RejectCode;

const rejectNames = new Map<number, RejectCodeName>(
  Object.entries(RejectCode).map(([name, code]) => [code, name as RejectCodeName]),
);

export const RelayFlag = { passwordRequired: 1 } as const;

export interface Hello {
  type: 'hello';
  clientNonce: Uint8Array;
}

export interface Cookie {
  type: 'cookie';
  clientNonce: Uint8Array;
  cookie: Uint8Array;
  relaySalt: Uint8Array;
  passwordRequired: boolean;
}

export interface Join {
  type: 'join';
  cookie: Uint8Array;
  clientNonce: Uint8Array;
  clientPublicKey: Uint8Array;
  /** The room's public admission key; all zero for a room without a secret: "not encrypted". */
  roomPublicKey: Uint8Array;
  mediaSalt: Uint8Array;
  flags: number;
  room: string;
  name: string;
  /** All zero when the relay asks for no password. */
  proof: Uint8Array;
  /** The signature that proves the room key (see roomProof); all zero without a secret. */
  roomProof: Uint8Array;
}

export interface Welcome {
  type: 'welcome';
  clientNonce: Uint8Array;
  relayPublicKey: Uint8Array;
  memberId: number;
  /** The sealed WelcomeInfo (session counter 0, relay→client key). */
  sealedInfo: Uint8Array;
}

export interface Reject {
  type: 'reject';
  clientNonce: Uint8Array;
  code: RejectCodeName;
  /** The relay's protocol version, so a mismatch can say which side is old. */
  relayVersion: number;
}

export interface UnknownSession {
  type: 'unknownSession';
  memberId: number;
}

/**
 * The relay refused media under this member id because it came from an
 * address that is not the member's (a NAT rebinding moved the client). The
 * member proves itself with any sealed message, which moves it, and sends
 * again what was refused from `sequence` on. Unauthenticated, like
 * UNKNOWN_SESSION, and smaller than any RTP packet, so it amplifies nothing.
 */
export interface UnknownAddress {
  type: 'unknownAddress';
  memberId: number;
  /** RTP sequence number of the refused packet. */
  sequence: number;
}

export interface Sealed {
  type: 'sealed';
  memberId: number;
  counter: number;
  /** Header bytes (magic … counter): the associated data of the AEAD. */
  header: Uint8Array;
  ciphertext: Uint8Array;
}

export type ControlMessage = Hello | Cookie | Join | Welcome | Reject | UnknownSession | UnknownAddress | Sealed;

export const SEALED_HEADER_BYTES = CONTROL_HEADER_BYTES + 4 + 8;
/** Room left for a sealed message's plaintext inside one datagram. */
export const MAX_SEALED_PLAINTEXT = LIMITS.maxDatagramBytes - SEALED_HEADER_BYTES - AEAD_TAG_BYTES;

export function isControl(datagram: Uint8Array): boolean {
  return datagram.length > 0 && datagram[0] === CONTROL_MAGIC;
}

function header(type: number, version = PROTOCOL_VERSION): ByteWriter {
  return new ByteWriter(128).u8(CONTROL_MAGIC).u8(version).u8(type);
}

function fixed(reader: ByteReader, length: number, what: string): Uint8Array {
  return Uint8Array.from(reader.bytesOf(length, what));
}

/** The smallest byte encoding of each message; HELLO is padded, see LIMITS.helloBytes. */
export function encodeControl(message: Exclude<ControlMessage, Sealed>): Buffer {
  switch (message.type) {
    case 'hello': {
      const writer = header(ControlType.hello).bytes(message.clientNonce);
      return writer.zeros(LIMITS.helloBytes - writer.size).finish();
    }
    case 'cookie':
      return header(ControlType.cookie)
        .bytes(message.clientNonce)
        .bytes(message.cookie)
        .bytes(message.relaySalt)
        .u8(message.passwordRequired ? RelayFlag.passwordRequired : 0)
        .finish();
    case 'join':
      return header(ControlType.join)
        .bytes(message.cookie)
        .bytes(message.clientNonce)
        .bytes(message.clientPublicKey)
        .bytes(message.roomPublicKey)
        .bytes(message.mediaSalt)
        .u8(message.flags)
        .shortString(message.room, LIMITS.maxRoomNameBytes)
        .shortString(message.name, LIMITS.maxDisplayNameBytes)
        .bytes(message.proof)
        .bytes(message.roomProof)
        .finish();
    case 'welcome':
      return header(ControlType.welcome)
        .bytes(message.clientNonce)
        .bytes(message.relayPublicKey)
        .u32(message.memberId)
        .bytes(message.sealedInfo)
        .finish();
    case 'reject':
      return header(ControlType.reject)
        .bytes(message.clientNonce)
        .u8(RejectCode[message.code])
        .u8(message.relayVersion)
        .finish();
    case 'unknownSession':
      return header(ControlType.unknownSession).u32(message.memberId).finish();
    case 'unknownAddress':
      return header(ControlType.unknownAddress).u32(message.memberId).u16(message.sequence).finish();
  }
}

/** Header plus plaintext length → the exact envelope the relay or client sends. */
export function encodeSealedHeader(memberId: number, counter: number): Buffer {
  return header(ControlType.sealed).u32(memberId).u53(counter).finish();
}

/**
 * Decodes any control datagram strictly. A wrong version is reported as
 * such (so HELLO can be answered with a clear REJECT) before the body is read.
 */
export function decodeControl(datagram: Uint8Array): ControlMessage {
  if (datagram.length > LIMITS.maxDatagramBytes) throw new ProtocolError('oversized', `control datagram of ${datagram.length} bytes`);
  const reader = new ByteReader(datagram);
  if (reader.u8('magic') !== CONTROL_MAGIC) throw new ProtocolError('unknown_type', 'not a Parley control message');
  const version = reader.u8('version');
  const type = reader.u8('type');
  if (version !== PROTOCOL_VERSION) {
    throw new ProtocolError('bad_version', `control version ${version}, this side speaks ${PROTOCOL_VERSION}`);
  }
  switch (type) {
    case ControlType.hello: {
      const clientNonce = fixed(reader, CLIENT_NONCE_BYTES, 'hello nonce');
      // The padding is the point (anti-amplification): require all of it.
      if (datagram.length !== LIMITS.helloBytes) throw new ProtocolError('malformed', `hello must be ${LIMITS.helloBytes} bytes`);
      return { type: 'hello', clientNonce };
    }
    case ControlType.cookie: {
      const message: Cookie = {
        type: 'cookie',
        clientNonce: fixed(reader, CLIENT_NONCE_BYTES, 'cookie nonce'),
        cookie: fixed(reader, COOKIE_BYTES, 'cookie'),
        relaySalt: fixed(reader, RELAY_SALT_BYTES, 'relay salt'),
        passwordRequired: (reader.u8('relay flags') & RelayFlag.passwordRequired) !== 0,
      };
      reader.end('cookie');
      return message;
    }
    case ControlType.join: {
      const message: Join = {
        type: 'join',
        cookie: fixed(reader, COOKIE_BYTES, 'join cookie'),
        clientNonce: fixed(reader, CLIENT_NONCE_BYTES, 'join nonce'),
        clientPublicKey: fixed(reader, PUBLIC_KEY_BYTES, 'join public key'),
        roomPublicKey: fixed(reader, ROOM_PUBLIC_KEY_BYTES, 'join room public key'),
        mediaSalt: fixed(reader, MEDIA_SALT_BYTES, 'join media salt'),
        flags: reader.u8('join flags'),
        room: reader.shortString(LIMITS.maxRoomNameBytes, 'room name'),
        name: reader.shortString(LIMITS.maxDisplayNameBytes, 'display name'),
        proof: fixed(reader, PROOF_BYTES, 'join proof'),
        roomProof: fixed(reader, ROOM_PROOF_BYTES, 'join room proof'),
      };
      reader.end('join');
      return message;
    }
    case ControlType.welcome: {
      const clientNonce = fixed(reader, CLIENT_NONCE_BYTES, 'welcome nonce');
      const relayPublicKey = fixed(reader, PUBLIC_KEY_BYTES, 'welcome public key');
      const memberId = reader.u32('welcome member id');
      const sealedInfo = fixed(reader, reader.remaining, 'welcome info');
      if (sealedInfo.length < AEAD_TAG_BYTES) throw new ProtocolError('truncated', 'welcome info shorter than its tag');
      return { type: 'welcome', clientNonce, relayPublicKey, memberId, sealedInfo };
    }
    case ControlType.reject: {
      const clientNonce = fixed(reader, CLIENT_NONCE_BYTES, 'reject nonce');
      const codeByte = reader.u8('reject code');
      const relayVersion = reader.u8('relay version');
      reader.end('reject');
      const code = rejectNames.get(codeByte);
      if (!code) throw new ProtocolError('malformed', `unknown reject code ${codeByte}`);
      return { type: 'reject', clientNonce, code, relayVersion };
    }
    case ControlType.unknownSession: {
      const memberId = reader.u32('member id');
      reader.end('unknown session');
      return { type: 'unknownSession', memberId };
    }
    case ControlType.unknownAddress: {
      const memberId = reader.u32('member id');
      const sequence = reader.u16('refused sequence');
      reader.end('unknown address');
      return { type: 'unknownAddress', memberId, sequence };
    }
    case ControlType.sealed: {
      const memberId = reader.u32('sealed member id');
      const counter = reader.u53('sealed counter');
      const ciphertext = reader.rest();
      if (ciphertext.length < AEAD_TAG_BYTES) throw new ProtocolError('truncated', 'sealed body shorter than its tag');
      return { type: 'sealed', memberId, counter, header: datagram.subarray(0, SEALED_HEADER_BYTES), ciphertext };
    }
    default:
      throw new ProtocolError('unknown_type', `unknown control type ${type}`);
  }
}

/**
 * Reads just the version byte of a control datagram that failed to decode for
 * bad_version, so a relay can answer a newer client's HELLO with a REJECT
 * that names its own version.
 */
export function peekHelloOfOtherVersion(datagram: Uint8Array): Uint8Array | null {
  if (datagram.length !== LIMITS.helloBytes || datagram[0] !== CONTROL_MAGIC || datagram[2] !== ControlType.hello) return null;
  return Uint8Array.from(datagram.subarray(CONTROL_HEADER_BYTES, CONTROL_HEADER_BYTES + CLIENT_NONCE_BYTES));
}
