import type { ByteReader, ByteWriter } from '../bytes.js';
import { LIMITS, MAX_ROOM_SECRET_BYTES } from '../constants.js';
import { MEDIA_SALT_BYTES, ROOM_PROOF_BYTES, ROOM_PUBLIC_KEY_BYTES } from '../crypto.js';
import { ProtocolError } from '../errors.js';
import { RejectCode, type RejectCodeName } from '../control.js';

/**
 * A member asks to move to another room in the same session. Like a JOIN it
 * names the room's public admission key and signs a transcript with the
 * private half (see moveProofMessage), and brings a fresh media salt: the new
 * room's key is new, and so is every sender key under it.
 */
export interface Move {
  kind: 'move';
  /** Chosen by the member; a retried MOVE repeats it and gets the same answer. */
  moveId: number;
  room: string;
  /** All zero for a room without a secret, or to be handed the one the relay keeps. */
  roomPublicKey: Uint8Array;
  mediaSalt: Uint8Array;
  /** Create the room hidden from the directory (when the move creates it). */
  hidden: boolean;
  /** All zero without a secret. */
  roomProof: Uint8Array;
}

/** The relay's answer to a MOVE: where the member is now, or why it stayed. */
export interface Moved {
  kind: 'moved';
  moveId: number;
  /** `ok`, or why the relay refused (the member stays where it was). */
  result: 'ok' | RejectCodeName;
  /** The room's secret when the relay keeps one and the member came without a key; empty otherwise. */
  roomSecret: string;
}

const HIDDEN = 1;
const OK = 0;
const rejectNames = new Map<number, RejectCodeName>(Object.entries(RejectCode).map(([name, code]) => [code, name as RejectCodeName]));

export function encodeMove(writer: ByteWriter, message: Move): void {
  writer
    .u32(message.moveId)
    .shortString(message.room, LIMITS.maxRoomNameBytes)
    .bytes(message.roomPublicKey)
    .bytes(message.mediaSalt)
    .u8(message.hidden ? HIDDEN : 0)
    .bytes(message.roomProof);
}

export function decodeMove(reader: ByteReader): Move {
  const moveId = reader.u32('move id');
  const room = reader.shortString(LIMITS.maxRoomNameBytes, 'move room');
  const roomPublicKey = Uint8Array.from(reader.bytesOf(ROOM_PUBLIC_KEY_BYTES, 'move room key'));
  const mediaSalt = Uint8Array.from(reader.bytesOf(MEDIA_SALT_BYTES, 'move media salt'));
  const flags = reader.u8('move flags');
  if (flags & ~HIDDEN) throw new ProtocolError('malformed', `move flags ${flags}`);
  const roomProof = Uint8Array.from(reader.bytesOf(ROOM_PROOF_BYTES, 'move room proof'));
  return { kind: 'move', moveId, room, roomPublicKey, mediaSalt, hidden: (flags & HIDDEN) !== 0, roomProof };
}

export function encodeMoved(writer: ByteWriter, message: Moved): void {
  writer
    .u32(message.moveId)
    .u8(message.result === 'ok' ? OK : RejectCode[message.result])
    .shortString(message.roomSecret, MAX_ROOM_SECRET_BYTES);
}

export function decodeMoved(reader: ByteReader): Moved {
  const moveId = reader.u32('moved id');
  const code = reader.u8('moved result');
  // A reason this client does not know yet still means "refused": it is shown as a generic refusal.
  const result = code === OK ? 'ok' : (rejectNames.get(code) ?? 'busy');
  return { kind: 'moved', moveId, result, roomSecret: reader.shortString(MAX_ROOM_SECRET_BYTES, 'moved room secret') };
}
