import { ProtocolError } from './errors.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** The text `bytes` hold, or null when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * A bounds-checked cursor over a datagram. Every read either returns a value
 * that was fully present or throws a ProtocolError: decoders never see
 * undefined bytes and never read past the end.
 */
export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private take(length: number, what: string): number {
    if (length > this.remaining) {
      throw new ProtocolError('truncated', `${what}: needs ${length} bytes, ${this.remaining} left`);
    }
    const start = this.offset;
    this.offset += length;
    return start;
  }

  u8(what = 'u8'): number {
    return this.bytes[this.take(1, what)]!;
  }

  u16(what = 'u16'): number {
    const at = this.take(2, what);
    return (this.bytes[at]! << 8) | this.bytes[at + 1]!;
  }

  u32(what = 'u32'): number {
    const at = this.take(4, what);
    return (
      ((this.bytes[at]! << 24) | (this.bytes[at + 1]! << 16) | (this.bytes[at + 2]! << 8) | this.bytes[at + 3]!) >>> 0
    );
  }

  /** A 64-bit unsigned integer that must fit a JavaScript number exactly. */
  u53(what = 'u53'): number {
    const high = this.u32(what);
    const low = this.u32(what);
    if (high > 0x1fffff) throw new ProtocolError('malformed', `${what}: exceeds 2^53`);
    return high * 0x1_0000_0000 + low;
  }

  bytesOf(length: number, what = 'bytes'): Uint8Array {
    const at = this.take(length, what);
    return this.bytes.subarray(at, at + length);
  }

  rest(): Uint8Array {
    return this.bytesOf(this.remaining, 'rest');
  }

  /** A UTF-8 string with a one-byte length prefix, at most maxBytes long. */
  shortString(maxBytes: number, what: string): string {
    const length = this.u8(what);
    if (length > maxBytes) throw new ProtocolError('malformed', `${what}: ${length} bytes exceeds ${maxBytes}`);
    const text = decodeUtf8(this.bytesOf(length, what));
    if (text === null) throw new ProtocolError('malformed', `${what}: not valid UTF-8`);
    return text;
  }

  /** Decoders call this last: trailing bytes mean the sender and we disagree on the format. */
  end(what: string): void {
    if (this.remaining !== 0) {
      throw new ProtocolError('malformed', `${what}: ${this.remaining} unexpected trailing bytes`);
    }
  }
}

/** A growable big-endian writer; encoders build messages with it. */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialCapacity = 128) {
    this.buffer = new Uint8Array(initialCapacity);
  }

  /** Grows the buffer if needed and returns where `extra` bytes go. Read `this.buffer` only after calling it. */
  private reserve(extra: number): number {
    const needed = this.length + extra;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    const at = this.length;
    this.length = needed;
    return at;
  }

  u8(value: number): this {
    const at = this.reserve(1);
    this.buffer[at] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    const at = this.reserve(2);
    this.buffer[at] = (value >>> 8) & 0xff;
    this.buffer[at + 1] = value & 0xff;
    return this;
  }

  u32(value: number): this {
    const at = this.reserve(4);
    this.buffer[at] = (value >>> 24) & 0xff;
    this.buffer[at + 1] = (value >>> 16) & 0xff;
    this.buffer[at + 2] = (value >>> 8) & 0xff;
    this.buffer[at + 3] = value & 0xff;
    return this;
  }

  u53(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`u53 out of range: ${value}`);
    return this.u32(Math.floor(value / 0x1_0000_0000)).u32(value >>> 0);
  }

  bytes(value: Uint8Array): this {
    const at = this.reserve(value.length);
    this.buffer.set(value, at);
    return this;
  }

  zeros(count: number): this {
    const at = this.reserve(count);
    this.buffer.fill(0, at, this.length);
    return this;
  }

  shortString(value: string, maxBytes: number): this {
    const encoded = new TextEncoder().encode(value);
    if (encoded.length > maxBytes) throw new RangeError(`string of ${encoded.length} bytes exceeds ${maxBytes}`);
    return this.u8(encoded.length).bytes(encoded);
  }

  get size(): number {
    return this.length;
  }

  finish(): Buffer {
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset, this.length);
  }
}
