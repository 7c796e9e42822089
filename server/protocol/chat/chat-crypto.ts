import { decodeUtf8 } from '../bytes.js';
import { hkdf, NONCE_BYTES, open, randomBytes, seal } from '../crypto.js';

/** One key per room for its text, derived from the room key as the media keys are, under its own label. */
export function chatKey(roomKey: Uint8Array): Buffer {
  return hkdf(roomKey, 'parley v2', 'room chat');
}

/**
 * A message sealed for the room: a random 96-bit nonce, then ChaCha20-Poly1305
 * of the UTF-8 text. The sender's media salt (fresh at every join, and in the
 * roster) is the associated data, so the relay cannot pass one member's words
 * off as another session's. Random nonces are safe here: a room would need
 * about 2^40 messages under one key before a repeat became likely.
 */
export function sealChatText(key: Uint8Array, senderSalt: Uint8Array, text: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  return Buffer.concat([nonce, seal(key, nonce, Buffer.from(text, 'utf8'), senderSalt)]);
}

/** The text, or null when the body was not sealed under this key for this sender (or is not UTF-8). */
export function openChatText(key: Uint8Array, senderSalt: Uint8Array, body: Uint8Array): string | null {
  if (body.length < NONCE_BYTES) return null;
  const plaintext = open(key, body.subarray(0, NONCE_BYTES), body.subarray(NONCE_BYTES), senderSalt);
  return plaintext === null ? null : decodeUtf8(plaintext);
}
