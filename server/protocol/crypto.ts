import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scrypt,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * Parley's cryptography, in one place so that relay and client cannot drift:
 * X25519 for the per-session key exchange, HKDF-SHA256 to derive keys,
 * ChaCha20-Poly1305 as the AEAD for both control and media, HMAC-SHA256 for
 * cookies and password proofs, Ed25519 for proofs of the room key, scrypt
 * for anything derived from a human's password or room secret.
 */

export const AEAD_TAG_BYTES = 16;
export const NONCE_BYTES = 12;
export const KEY_BYTES = 32;
export const COOKIE_BYTES = 16;
export const CLIENT_NONCE_BYTES = 16;
export const PUBLIC_KEY_BYTES = 32;
export const PROOF_BYTES = 16;
export const ROOM_PUBLIC_KEY_BYTES = 32;
export const ROOM_PROOF_BYTES = 64;
export const MEDIA_SALT_BYTES = 16;
export const RELAY_SALT_BYTES = 16;

const AEAD = 'chacha20-poly1305';
// Interactive-login scrypt cost: ~16 MiB and tens of milliseconds, paid once per join.
const SCRYPT_OPTIONS = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
// DER prefix of an X25519 SubjectPublicKeyInfo; the raw key is the last 32 bytes.
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
// The same for Ed25519, and the PKCS #8 prefix of an Ed25519 private key whose raw 32-byte seed follows.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export { randomBytes };

export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Buffer {
  const cipher = createCipheriv(AEAD, key, nonce, { authTagLength: AEAD_TAG_BYTES });
  if (associatedData) cipher.setAAD(associatedData, { plaintextLength: plaintext.length });
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/** Returns the plaintext, or null when the tag does not verify (tampered, wrong key or truncated). */
export function open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, associatedData?: Uint8Array): Buffer | null {
  if (sealed.length < AEAD_TAG_BYTES) return null;
  const bodyLength = sealed.length - AEAD_TAG_BYTES;
  const decipher = createDecipheriv(AEAD, key, nonce, { authTagLength: AEAD_TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(bodyLength));
  if (associatedData) decipher.setAAD(associatedData, { plaintextLength: bodyLength });
  const body = decipher.update(sealed.subarray(0, bodyLength));
  try {
    decipher.final();
  } catch {
    return null;
  }
  return body;
}

export function hkdf(ikm: Uint8Array, salt: Uint8Array | string, info: string, length = KEY_BYTES): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

export function hmac(key: Uint8Array, ...parts: (Uint8Array | string)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------
// Session key exchange (one ephemeral X25519 pair per side per join)

export interface EphemeralKeyPair {
  publicKey: Buffer;
  privateKey: KeyObject;
}

export function generateEphemeralKeyPair(): EphemeralKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { publicKey: Buffer.from(der.subarray(der.length - PUBLIC_KEY_BYTES)), privateKey };
}

/** X25519 shared secret; null if the peer's key is malformed or a low-order point. */
export function sharedSecret(privateKey: KeyObject, peerPublicKey: Uint8Array): Buffer | null {
  if (peerPublicKey.length !== PUBLIC_KEY_BYTES) return null;
  try {
    const peer = createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, peerPublicKey]), format: 'der', type: 'spki' });
    const secret = diffieHellman({ privateKey, publicKey: peer });
    // An all-zero result means a low-order public key: refuse it, as RFC 7748 §6.1 advises.
    return secret.every((byte) => byte === 0) ? null : secret;
  } catch {
    return null;
  }
}

export interface SessionKeys {
  clientToRelay: Buffer;
  relayToClient: Buffer;
}

/** Both directions' keys, bound to the whole handshake transcript. */
export function deriveSessionKeys(
  shared: Uint8Array,
  transcript: { cookie: Uint8Array; clientNonce: Uint8Array; clientPublicKey: Uint8Array; relayPublicKey: Uint8Array },
): SessionKeys {
  const salt = Buffer.concat([transcript.cookie, transcript.clientNonce, transcript.clientPublicKey, transcript.relayPublicKey]);
  return {
    clientToRelay: hkdf(shared, salt, 'parley v1 session client->relay'),
    relayToClient: hkdf(shared, salt, 'parley v1 session relay->client'),
  };
}

/** Control nonce: direction byte, three zero bytes, 64-bit counter. Each direction has its own key too. */
export function controlNonce(counter: number): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  nonce.writeUInt32BE(Math.floor(counter / 0x1_0000_0000), 4);
  nonce.writeUInt32BE(counter >>> 0, 8);
  return nonce;
}

// ---------------------------------------------------------------------------
// Stateless join cookies (the DTLS HelloVerifyRequest / WireGuard idea)

/**
 * Issues and checks cookies that prove a joiner receives at its source
 * address. The relay keeps no per-request state: a cookie is an HMAC of the
 * address under a secret that rotates every period, and the previous period's
 * cookies stay valid so a join that straddles a rotation still succeeds.
 */
export class CookieIssuer {
  private readonly baseSecret = randomBytes(32);

  constructor(private readonly periodMs: number) {}

  private secretFor(epoch: number): Buffer {
    return hmac(this.baseSecret, `cookie epoch ${epoch}`);
  }

  private compute(epoch: number, address: string, port: number, clientNonce: Uint8Array): Buffer {
    return hmac(this.secretFor(epoch), address, `:${port}`, clientNonce).subarray(0, COOKIE_BYTES);
  }

  issue(nowMs: number, address: string, port: number, clientNonce: Uint8Array): Buffer {
    return this.compute(Math.floor(nowMs / this.periodMs), address, port, clientNonce);
  }

  verify(nowMs: number, address: string, port: number, clientNonce: Uint8Array, cookie: Uint8Array): boolean {
    const epoch = Math.floor(nowMs / this.periodMs);
    return (
      constantTimeEqual(this.compute(epoch, address, port, clientNonce), cookie) ||
      constantTimeEqual(this.compute(epoch - 1, address, port, clientNonce), cookie)
    );
  }
}

// ---------------------------------------------------------------------------
// Relay password: challenge-response, the password never crosses the wire

function scryptAsync(secret: string, salt: Uint8Array | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, SCRYPT_OPTIONS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** The relay computes this once at start; the client once per join with the relay's salt. */
export function derivePasswordKey(password: string, relaySalt: Uint8Array): Promise<Buffer> {
  return scryptAsync(password, relaySalt);
}

export interface JoinTranscript {
  cookie: Uint8Array;
  clientNonce: Uint8Array;
  clientPublicKey: Uint8Array;
  room: string;
}

/** The client's proof that it knows the password, bound to this join only. */
export function joinProof(passwordKey: Uint8Array, transcript: JoinTranscript): Buffer {
  return hmac(
    passwordKey,
    'parley v1 join',
    transcript.cookie,
    transcript.clientNonce,
    transcript.clientPublicKey,
    transcript.room,
  ).subarray(0, PROOF_BYTES);
}

/** The relay's proof back: with a password set, the client knows it reached the real relay. */
export function welcomeProof(passwordKey: Uint8Array, clientNonce: Uint8Array, clientPublicKey: Uint8Array, relayPublicKey: Uint8Array): Buffer {
  return hmac(passwordKey, 'parley v1 welcome', clientNonce, clientPublicKey, relayPublicKey).subarray(0, PROOF_BYTES);
}

// ---------------------------------------------------------------------------
// End-to-end media keys (the relay never holds these)

/**
 * The room key, from the secret friends share (the invite link carries it).
 * scrypt because a secret may be a human's passphrase; the room name salts it
 * so one secret reused across rooms gives unrelated keys.
 */
export function deriveRoomKey(secret: string, room: string): Promise<Buffer> {
  return scryptAsync(secret, `parley v1 room ${room.normalize('NFC')}`);
}

/**
 * The room's admission key pair, Ed25519 from a seed derived from the room
 * key (its own label, so it says nothing of the media keys). The public half
 * travels in every JOIN and keeps one room on one key, as a fingerprint
 * would; the private half signs each join, so copying the public half off
 * the wire admits nobody.
 */
export interface RoomAdmissionKeys {
  publicKey: Buffer;
  privateKey: KeyObject;
}

export function deriveRoomAdmissionKeys(roomKey: Uint8Array): RoomAdmissionKeys {
  const seed = hkdf(roomKey, 'parley v2', 'room admission');
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { publicKey: Buffer.from(der.subarray(der.length - ROOM_PUBLIC_KEY_BYTES)), privateKey };
}

/** What a room proof signs: this join's fresh cookie (bound to the joiner's address) and its keys, so no copy or replay elsewhere verifies. */
export interface RoomProofTranscript {
  cookie: Uint8Array;
  clientNonce: Uint8Array;
  clientPublicKey: Uint8Array;
  mediaSalt: Uint8Array;
  room: string;
}

/**
 * What a move's room proof signs: the session it happens in (its join's nonce
 * and the relay's key for that join, which nothing else shares), the move's
 * own number and the fresh media salt, so it proves nothing for another
 * session or another move.
 */
export interface MoveProofTranscript {
  clientNonce: Uint8Array;
  relayPublicKey: Uint8Array;
  memberId: number;
  moveId: number;
  mediaSalt: Uint8Array;
  room: string;
}

/** The bytes a room claim signs: a JOIN's transcript, or a move's. */
export type RoomClaim = { join: RoomProofTranscript } | { move: MoveProofTranscript };

function numbers(...values: number[]): Buffer {
  const bytes = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => bytes.writeUInt32BE(value >>> 0, 4 * i));
  return bytes;
}

function roomClaimMessage(claim: RoomClaim): Buffer {
  if ('join' in claim) {
    const t = claim.join;
    return Buffer.concat([Buffer.from('parley v2 room admission'), t.cookie, t.clientNonce, t.clientPublicKey, t.mediaSalt, Buffer.from(t.room, 'utf8')]);
  }
  const t = claim.move;
  return Buffer.concat([Buffer.from('parley v2 room move'), t.clientNonce, t.relayPublicKey, numbers(t.memberId, t.moveId), t.mediaSalt, Buffer.from(t.room, 'utf8')]);
}

/** The joiner's (or mover's) proof that it holds the room key. */
export function roomProof(keys: RoomAdmissionKeys, claim: RoomClaim): Buffer {
  return sign(null, roomClaimMessage(claim), keys.privateKey);
}

/** Checked by the relay against the room's public admission key; false for anything malformed. */
export function verifyRoomProof(roomPublicKey: Uint8Array, claim: RoomClaim, proof: Uint8Array): boolean {
  if (roomPublicKey.length !== ROOM_PUBLIC_KEY_BYTES || proof.length !== ROOM_PROOF_BYTES) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, roomPublicKey]), format: 'der', type: 'spki' });
    return verify(null, roomClaimMessage(claim), key, proof);
  } catch {
    return false;
  }
}

/** Each sender's own key: a fresh random salt per session means a fresh key, so nonces never repeat across sessions. */
export function senderKey(roomKey: Uint8Array, mediaSalt: Uint8Array): Buffer {
  return hkdf(roomKey, mediaSalt, 'parley v1 sender media');
}

/** Media nonce: the SSRC then the 48-bit packet index, big-endian. */
export function mediaNonce(ssrc: number, packetIndex: number): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  nonce.writeUInt32BE(ssrc >>> 0, 0);
  nonce.writeUInt32BE(Math.floor(packetIndex / 0x1_0000_0000), 4);
  nonce.writeUInt32BE(packetIndex >>> 0, 8);
  return nonce;
}
