import { ProtocolError } from './errors.js';

/** Packets per roll-over of the 16-bit RTP sequence number. */
export const SEQUENCE_SPACE = 0x1_0000;
/** Most bytes a roll-over counter field takes (its 8-byte form, never needed in practice). */
export const ROLLOVER_FIELD_MAX_BYTES = 8;
/** The 48-bit packet index leaves 32 bits for the roll-over counter. */
const MAX_ROLLOVER = 0xffff_ffff;

/**
 * The roll-over counter (packet index >> 16) as a variable-length integer in
 * QUIC's encoding (RFC 9000 §16): the top two bits of the first byte give the
 * length (1, 2, 4 or 8 bytes), the rest is the value, big-endian. So the first
 * 64 roll-overs (over 4 million packets, a day of speech) cost one byte.
 */
export function encodeRollover(rollover: number): Buffer {
  if (!Number.isInteger(rollover) || rollover < 0 || rollover > MAX_ROLLOVER) {
    throw new RangeError(`roll-over counter ${rollover} is not a 32-bit unsigned integer`);
  }
  if (rollover < 0x40) return Buffer.from([rollover]);
  if (rollover < 0x4000) return Buffer.from([0x40 | (rollover >>> 8), rollover & 0xff]);
  const field = Buffer.alloc(rollover < 0x4000_0000 ? 4 : 8);
  if (field.length === 4) field.writeUInt32BE((0x8000_0000 | rollover) >>> 0, 0);
  else {
    field[0] = 0xc0;
    field.writeUInt32BE(rollover, 4);
  }
  return field;
}

/** The counter at the start of `bytes` and the field's length; throws ProtocolError if it is cut short or too large. */
export function decodeRollover(bytes: Uint8Array): { rollover: number; length: number } {
  if (bytes.length === 0) throw new ProtocolError('truncated', 'media packet has no roll-over counter');
  const length = 1 << (bytes[0]! >>> 6);
  if (bytes.length < length) throw new ProtocolError('truncated', 'roll-over counter cut short');
  const field = Buffer.from(bytes.buffer, bytes.byteOffset, length);
  switch (length) {
    case 1:
      return { rollover: field[0]! & 0x3f, length };
    case 2:
      return { rollover: field.readUInt16BE(0) & 0x3fff, length };
    case 4:
      return { rollover: field.readUInt32BE(0) & 0x3fff_ffff, length };
    default:
      if ((field.readUInt32BE(0) & 0x3fff_ffff) !== 0) throw new ProtocolError('malformed', 'roll-over counter beyond 32 bits');
      return { rollover: field.readUInt32BE(4), length };
  }
}
