import type { Join } from '../protocol/control.js';
import { constantTimeEqual, verifyRoomProof } from '../protocol/crypto.js';

/** A room whose secret a hosting app handed to its own relay. */
export interface KeptSecret {
  secret: string;
  /** The room's public admission key, derived from the secret. */
  roomPublicKey: Buffer;
}

export interface Admission {
  /** The key the room is (or will be) on; all zero for a room without a secret. */
  roomPublicKey: Uint8Array;
  /** The kept secret, for a joiner that came without one; empty otherwise. */
  handOverSecret: string;
}

const isZero = (bytes: Uint8Array): boolean => bytes.every((byte) => byte === 0);

/**
 * Whether a joiner may enter a room as far as its secret goes; null means
 * `secretMismatch`. A room without a secret (an all-zero key) admits anyone
 * who brings none. A room with one admits only a joiner that signed this
 * join with the room's private admission key: the public key is in clear in
 * every JOIN, so presenting it proves nothing. The first joiner fixes the
 * room's key and must prove it too, or anyone could claim a room's key
 * without holding it. A relay that keeps the room's secret fixes the key
 * itself, and hands the secret to a joiner that brings no key at all.
 */
export function admitToRoom(join: Join, roomPublicKey: Uint8Array | undefined, kept: KeptSecret | undefined): Admission | null {
  if (kept && isZero(join.roomPublicKey)) return { roomPublicKey: kept.roomPublicKey, handOverSecret: kept.secret };
  const expected = kept?.roomPublicKey ?? roomPublicKey ?? join.roomPublicKey;
  if (!constantTimeEqual(expected, join.roomPublicKey)) return null;
  if (!isZero(expected) && !verifyRoomProof(expected, join, join.roomProof)) return null;
  return { roomPublicKey: expected, handOverSecret: '' };
}
