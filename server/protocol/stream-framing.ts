import { LIMITS } from './constants.js';

/**
 * Over a stream (TCP, TLS) each datagram is sent as a 2-byte big-endian
 * length and then that many bytes: the same datagrams as over UDP, the same
 * limit. A frame of length 0 or over LIMITS.maxDatagramBytes is an error: no
 * datagram is empty or that large, so what follows cannot be trusted either.
 */
export const FRAME_HEADER_BYTES = 2;

export function encodeFrame(datagram: Uint8Array): Buffer {
  if (datagram.length === 0 || datagram.length > LIMITS.maxDatagramBytes) {
    throw new RangeError(`a framed datagram has 1 to ${LIMITS.maxDatagramBytes} bytes, not ${datagram.length}`);
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + datagram.length);
  frame.writeUInt16BE(datagram.length, 0);
  frame.set(datagram, FRAME_HEADER_BYTES);
  return frame;
}

export type FramingErrorReason = 'oversized' | 'empty';

export interface FramingResult {
  /** Whole datagrams, in the order they came. */
  frames: Buffer[];
  /** Set when the stream broke the framing: nothing after this point is read. */
  error?: { reason: FramingErrorReason; message: string };
}

/**
 * Bytes in, datagrams out: holds a partial frame across chunks, never
 * throws, and after an error reads nothing more (the stream is to be cut).
 */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly maxFrameBytes: number = LIMITS.maxDatagramBytes) {}

  /** Bytes held that do not yet make a whole frame (a header, or a frame still arriving). */
  get partialBytes(): number {
    return this.pending.length;
  }

  push(chunk: Uint8Array): FramingResult {
    const frames: Buffer[] = [];
    if (this.failed) return { frames, error: { reason: 'oversized', message: 'the stream already broke its framing' } };
    let bytes = this.pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.pending, chunk]);
    while (bytes.length >= FRAME_HEADER_BYTES) {
      const length = bytes.readUInt16BE(0);
      if (length === 0 || length > this.maxFrameBytes) {
        this.failed = true;
        this.pending = Buffer.alloc(0);
        const reason: FramingErrorReason = length === 0 ? 'empty' : 'oversized';
        return { frames, error: { reason, message: `frame of ${length} bytes: frames have 1 to ${this.maxFrameBytes}` } };
      }
      if (bytes.length < FRAME_HEADER_BYTES + length) break;
      // A copy, so a held frame never pins the (possibly large) chunk it came in.
      frames.push(Buffer.from(bytes.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length)));
      bytes = bytes.subarray(FRAME_HEADER_BYTES + length);
    }
    this.pending = bytes.length === 0 ? Buffer.alloc(0) : Buffer.from(bytes);
    return { frames };
  }
}
