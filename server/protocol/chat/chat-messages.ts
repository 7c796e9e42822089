import { ByteReader, ByteWriter } from '../bytes.js';
import { LIMITS } from '../constants.js';
import { AEAD_TAG_BYTES, MEDIA_SALT_BYTES, NONCE_BYTES } from '../crypto.js';
import { ProtocolError } from '../errors.js';
import { CHAT_LIMITS } from './chat-text.js';

/**
 * A chat message as a whole, once its chunks are joined: what a member posts,
 * and what the relay delivers to the room (the post, numbered in the room's
 * order, with who sent it and when). The body is the sealed text in a room
 * with a secret, else the text itself; the relay never reads a sealed one.
 */
export interface ChatPost {
  /** The sender's own number for this post (per session), echoed in the delivery so it knows which post went out. */
  tag: number;
  sealed: boolean;
  body: Uint8Array;
}

export interface ChatDelivery {
  /** The room's own count of messages, so every member sees one order and history never repeats. */
  index: number;
  /** When the relay received it, in whole seconds since the Unix epoch. */
  sentAtSeconds: number;
  senderId: number;
  /** The sender's media salt: the associated data of a sealed body. */
  senderSalt: Uint8Array;
  senderName: string;
  /** The sender's tag from its post. */
  tag: number;
  sealed: boolean;
  /** Sent from the room's history to a member who joined after it was posted. */
  history: boolean;
  body: Uint8Array;
}

const FLAG_SEALED = 1;
const FLAG_HISTORY = 2;

/** The longest body: the longest text, sealed. */
export const MAX_CHAT_BODY_BYTES = CHAT_LIMITS.maxTextBytes + NONCE_BYTES + AEAD_TAG_BYTES;
const DELIVERY_HEADER_BYTES = 4 + 4 + 4 + MEDIA_SALT_BYTES + 1 + LIMITS.maxDisplayNameBytes + 4 + 1;
/** The longest whole message either way: what a chunk assembler must accept, and no more. */
export const MAX_CHAT_MESSAGE_BYTES = DELIVERY_HEADER_BYTES + MAX_CHAT_BODY_BYTES;

export function encodeChatPost(post: ChatPost): Buffer {
  return new ByteWriter(post.body.length + 5)
    .u32(post.tag)
    .u8(post.sealed ? FLAG_SEALED : 0)
    .bytes(post.body)
    .finish();
}

export function decodeChatPost(bytes: Uint8Array): ChatPost {
  const reader = new ByteReader(bytes);
  const tag = reader.u32('chat tag');
  const flags = reader.u8('chat flags');
  if (flags & ~FLAG_SEALED) throw new ProtocolError('malformed', `chat post flags ${flags}`);
  return { tag, sealed: (flags & FLAG_SEALED) !== 0, body: Uint8Array.from(body(reader)) };
}

export function encodeChatDelivery(delivery: ChatDelivery): Buffer {
  return new ByteWriter(DELIVERY_HEADER_BYTES + delivery.body.length)
    .u32(delivery.index)
    .u32(delivery.sentAtSeconds)
    .u32(delivery.senderId)
    .bytes(delivery.senderSalt)
    .shortString(delivery.senderName, LIMITS.maxDisplayNameBytes)
    .u32(delivery.tag)
    .u8((delivery.sealed ? FLAG_SEALED : 0) | (delivery.history ? FLAG_HISTORY : 0))
    .bytes(delivery.body)
    .finish();
}

export function decodeChatDelivery(bytes: Uint8Array): ChatDelivery {
  const reader = new ByteReader(bytes);
  const index = reader.u32('chat index');
  const sentAtSeconds = reader.u32('chat time');
  const senderId = reader.u32('chat sender');
  const senderSalt = Uint8Array.from(reader.bytesOf(MEDIA_SALT_BYTES, 'chat sender salt'));
  const senderName = reader.shortString(LIMITS.maxDisplayNameBytes, 'chat sender name');
  const tag = reader.u32('chat tag');
  const flags = reader.u8('chat flags');
  if (flags & ~(FLAG_SEALED | FLAG_HISTORY)) throw new ProtocolError('malformed', `chat delivery flags ${flags}`);
  return { index, sentAtSeconds, senderId, senderSalt, senderName, tag, sealed: (flags & FLAG_SEALED) !== 0, history: (flags & FLAG_HISTORY) !== 0, body: Uint8Array.from(body(reader)) };
}

function body(reader: ByteReader): Uint8Array {
  const rest = reader.rest();
  if (rest.length === 0) throw new ProtocolError('malformed', 'empty chat body');
  if (rest.length > MAX_CHAT_BODY_BYTES) throw new ProtocolError('oversized', `chat body of ${rest.length} bytes`);
  return rest;
}
