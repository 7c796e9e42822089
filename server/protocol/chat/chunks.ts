import { MAX_SEALED_PLAINTEXT } from '../control.js';

/** One piece of a message: whether it is the message's first, and whether more follow. */
export interface Chunk {
  bytes: Uint8Array;
  first: boolean;
  more: boolean;
}

/** Splits one message's bytes into chunks of at most `maxChunkBytes`; an empty message is one empty chunk. */
export function splitIntoChunks(bytes: Uint8Array, maxChunkBytes: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let at = 0; at < bytes.length || chunks.length === 0; at += maxChunkBytes) {
    const end = Math.min(bytes.length, at + maxChunkBytes);
    chunks.push({ bytes: bytes.subarray(at, end), first: at === 0, more: end < bytes.length });
  }
  return chunks;
}

/** Why a message was not assembled. */
export type ChunkRefusal = 'oversized' | 'incomplete';

/** What one chunk completed (a whole message), and what it refused (the message it cut short, or its own). */
export interface Assembled {
  message: Buffer | undefined;
  refused: ChunkRefusal | undefined;
}

/**
 * Joins chunks that arrive in order (the reliable channel's job) back into
 * messages. A message growing past `maxMessageBytes` is refused once, and the
 * rest of its chunks are skipped up to its last, so one oversized message
 * costs only itself and a hostile peer cannot make this grow. When the channel
 * skipped a given-up chunk (`afterGap`), the message it belonged to is
 * incomplete: what was gathered of it is dropped, and so are its remaining
 * chunks, up to the next first chunk.
 */
export class ChunkAssembler {
  private parts: Uint8Array[] = [];
  private size = 0;
  private discarding = false;

  constructor(private readonly maxMessageBytes: number) {}

  add(chunk: Chunk, afterGap = false): Assembled {
    let refused: ChunkRefusal | undefined;
    if (chunk.first || afterGap) {
      if (this.parts.length > 0) refused = 'incomplete';
      this.reset(false);
    }
    if (!chunk.first && !this.discarding && this.parts.length === 0) {
      // A middle or last chunk with nothing before it: the start of its message was given up.
      this.discarding = true;
      refused = 'incomplete';
    }
    if (this.discarding) {
      if (!chunk.more) this.discarding = false;
      return { message: undefined, refused };
    }
    this.size += chunk.bytes.length;
    if (this.size > this.maxMessageBytes) {
      this.reset(chunk.more);
      return { message: undefined, refused: 'oversized' };
    }
    this.parts.push(chunk.bytes);
    if (chunk.more) return { message: undefined, refused };
    const message = Buffer.concat(this.parts);
    this.reset(false);
    return { message, refused };
  }

  private reset(discardRest: boolean): void {
    this.parts = [];
    this.size = 0;
    this.discarding = discardRest;
  }
}

/** The kind byte, the number, the floor and the flags byte: what a chunk's own header takes of a sealed datagram. */
const CHUNK_HEADER_BYTES = 1 + 4 + 4 + 1;

/** The most message bytes one sealed datagram carries. */
export const MAX_CHAT_CHUNK_BYTES = MAX_SEALED_PLAINTEXT - CHUNK_HEADER_BYTES;
