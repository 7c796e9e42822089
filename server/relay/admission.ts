import type { Join } from '../protocol/control.js';
import { constantTimeEqual, verifyRoomProof, type RoomClaim } from '../protocol/crypto.js';

/** A room whose secret the relay holds: a hosting app's own room, or a standalone relay's room with a password. */
export interface KeptSecret {
  secret: string;
  /** The room's public admission key, derived from the secret. */
  roomPublicKey: Buffer;
  /**
   * Whether a joiner that brings no key is handed the secret (a hosting app's room, joined by plain address),
   * or must know it (a room password).
   */
  handOut: boolean;
}

export interface Admission {
  /** The key the room is (or will be) on; all zero for a room without a secret. */
  roomPublicKey: Uint8Array;
  /** The kept secret, for a joiner that came without one; empty otherwise. */
  handOverSecret: string;
}

/** What a joiner or a moving member presents for a room: its public admission key, and a signature over the claim. */
export interface RoomEntry {
  roomPublicKey: Uint8Array;
  roomProof: Uint8Array;
  claim: RoomClaim;
}

export function entryOfJoin(join: Join): RoomEntry {
  return { roomPublicKey: join.roomPublicKey, roomProof: join.roomProof, claim: { join } };
}

const isZero = (bytes: Uint8Array): boolean => bytes.every((byte) => byte === 0);

/**
 * Whether a joiner may enter a room as far as its secret goes; null means
 * `secretMismatch`. A room without a secret (an all-zero key) admits anyone
 * who brings none. A room with one admits only a joiner that signed this
 * join (or move) with the room's private admission key: the public key is in
 * clear in every JOIN, so presenting it proves nothing. The first joiner
 * fixes the room's key and must prove it too, or anyone could claim a room's
 * key without holding it. A relay that keeps the room's secret fixes the key
 * itself, and hands the secret to a joiner that brings no key at all when it
 * was set up to.
 */
export function admitToRoom(entry: RoomEntry, roomPublicKey: Uint8Array | undefined, kept: KeptSecret | undefined): Admission | null {
  if (kept?.handOut && isZero(entry.roomPublicKey)) return { roomPublicKey: kept.roomPublicKey, handOverSecret: kept.secret };
  const expected = kept?.roomPublicKey ?? roomPublicKey ?? entry.roomPublicKey;
  if (!constantTimeEqual(expected, entry.roomPublicKey)) return null;
  if (!isZero(expected) && !verifyRoomProof(expected, entry.claim, entry.roomProof)) return null;
  return { roomPublicKey: expected, handOverSecret: '' };
}
