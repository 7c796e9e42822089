import { ProtocolError } from './errors.js';

/** One encoding inside a RED payload (RFC 2198). */
export interface RedBlock {
  payloadType: number;
  /** How far this block's timestamp lies before the packet's, in RTP clock units. */
  timestampOffset: number;
  data: Uint8Array;
}

/** Largest values the RFC 2198 block header can carry. */
const MAX_TIMESTAMP_OFFSET = 0x3fff;
const MAX_BLOCK_LENGTH = 0x3ff;

/**
 * Builds a RED payload: redundant blocks (oldest first) then the primary. The
 * primary's header is the one-byte form; every redundant block needs four.
 */
export function encodeRed(redundant: readonly RedBlock[], primary: { payloadType: number; data: Uint8Array }): Buffer {
  const size = redundant.reduce((sum, block) => sum + 4 + block.data.length, 0) + 1 + primary.data.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const block of redundant) {
    if (block.timestampOffset < 0 || block.timestampOffset > MAX_TIMESTAMP_OFFSET) {
      throw new RangeError(`RED timestamp offset ${block.timestampOffset} out of range`);
    }
    if (block.data.length > MAX_BLOCK_LENGTH) throw new RangeError(`RED block of ${block.data.length} bytes too long`);
    out[at++] = 0x80 | (block.payloadType & 0x7f);
    // 14-bit offset then 10-bit length, packed big-endian across three bytes.
    const packed = (block.timestampOffset << 10) | block.data.length;
    out[at++] = (packed >>> 16) & 0xff;
    out[at++] = (packed >>> 8) & 0xff;
    out[at++] = packed & 0xff;
  }
  out[at++] = primary.payloadType & 0x7f;
  for (const block of redundant) {
    out.set(block.data, at);
    at += block.data.length;
  }
  out.set(primary.data, at);
  return out;
}

export interface DecodedRed {
  redundant: RedBlock[];
  primary: { payloadType: number; data: Uint8Array };
}

export function decodeRed(payload: Uint8Array): DecodedRed {
  const headers: { payloadType: number; timestampOffset: number; length: number }[] = [];
  let at = 0;
  for (;;) {
    if (at >= payload.length) throw new ProtocolError('truncated', 'RED header list runs past the payload');
    const first = payload[at]!;
    if ((first & 0x80) === 0) {
      at += 1;
      break;
    }
    if (at + 4 > payload.length) throw new ProtocolError('truncated', 'RED block header cut short');
    const packed = (payload[at + 1]! << 16) | (payload[at + 2]! << 8) | payload[at + 3]!;
    headers.push({ payloadType: first & 0x7f, timestampOffset: packed >>> 10, length: packed & MAX_BLOCK_LENGTH });
    at += 4;
  }
  const primaryType = payload[at - 1]! & 0x7f;
  const redundant: RedBlock[] = [];
  for (const header of headers) {
    if (at + header.length > payload.length) throw new ProtocolError('truncated', 'RED block runs past the payload');
    redundant.push({
      payloadType: header.payloadType,
      timestampOffset: header.timestampOffset,
      data: payload.subarray(at, at + header.length),
    });
    at += header.length;
  }
  return { redundant, primary: { payloadType: primaryType, data: payload.subarray(at) } };
}
