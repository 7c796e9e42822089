import { MAX_SEALED_PLAINTEXT } from '../control.js';
import { ProtocolError } from '../errors.js';

/** Splits one message's bytes into chunks of at most `maxChunkBytes`; an empty message is one empty chunk. */
export function splitIntoChunks(bytes: Uint8Array, maxChunkBytes: number): { bytes: Uint8Array; more: boolean }[] {
  const chunks: { bytes: Uint8Array; more: boolean }[] = [];
  for (let at = 0; at < bytes.length || chunks.length === 0; at += maxChunkBytes) {
    const end = Math.min(bytes.length, at + maxChunkBytes);
    chunks.push({ bytes: bytes.subarray(at, end), more: end < bytes.length });
  }
  return chunks;
}

/**
 * Joins chunks that arrive in order (the reliable channel's job) back into
 * messages. A message growing past `maxMessageBytes` is refused once, and the
 * rest of its chunks are skipped up to its last, so one oversized message
 * costs only itself and a hostile peer cannot make this grow.
 */
export class ChunkAssembler {
  private parts: Uint8Array[] = [];
  private size = 0;
  private discarding = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** The whole message when this was its last chunk; undefined while more are due. Throws once for an oversized one. */
  add(chunk: Uint8Array, more: boolean): Buffer | undefined {
    if (this.discarding) {
      if (!more) this.discarding = false;
      return undefined;
    }
    this.size += chunk.length;
    if (this.size > this.maxMessageBytes) {
      this.parts = [];
      this.size = 0;
      this.discarding = more;
      throw new ProtocolError('oversized', `chat message over ${this.maxMessageBytes} bytes`);
    }
    this.parts.push(chunk);
    if (more) return undefined;
    const message = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    return message;
  }
}

/** The kind byte, the number, the floor and the "more" flag: what a chunk's own header takes of a sealed datagram. */
const CHUNK_HEADER_BYTES = 1 + 4 + 4 + 1;

/** The most message bytes one sealed datagram carries. */
export const MAX_CHAT_CHUNK_BYTES = MAX_SEALED_PLAINTEXT - CHUNK_HEADER_BYTES;
