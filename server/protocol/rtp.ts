import { ProtocolError } from './errors.js';

/** Fixed RTP header size (RFC 3550 §5.1) without CSRCs or extensions. */
export const RTP_HEADER_BYTES = 12;

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
}

export interface RtpPacket extends RtpHeader {
  /** The header bytes as sent, CSRCs and extension included: the AEAD's associated data. */
  headerBytes: Uint8Array;
  payload: Uint8Array;
}

/** True when the first byte says RTP version 2: the demultiplexing rule of the shared port. */
export function isRtp(datagram: Uint8Array): boolean {
  return datagram.length > 0 && (datagram[0]! & 0xc0) === 0x80;
}

/** The SSRC of an RTP datagram, read without parsing the rest (the relay's hot path). */
export function readSsrc(datagram: Uint8Array): number {
  if (datagram.length < RTP_HEADER_BYTES) throw new ProtocolError('truncated', 'RTP header shorter than 12 bytes');
  return ((datagram[8]! << 24) | (datagram[9]! << 16) | (datagram[10]! << 8) | datagram[11]!) >>> 0;
}

export function encodeRtpHeader(header: RtpHeader): Buffer {
  const out = Buffer.allocUnsafe(RTP_HEADER_BYTES);
  out[0] = 0x80;
  out[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  out.writeUInt16BE(header.sequence & 0xffff, 2);
  out.writeUInt32BE(header.timestamp >>> 0, 4);
  out.writeUInt32BE(header.ssrc >>> 0, 8);
  return out;
}

export function encodeRtp(header: RtpHeader, payload: Uint8Array): Buffer {
  return Buffer.concat([encodeRtpHeader(header), payload]);
}

/**
 * Parses an RTP packet strictly: version 2, CSRC list and header extension
 * within bounds, padding removed. Parley senders use none of CSRC, extension
 * or padding, but a standards-following peer may, so they are honoured.
 */
export function decodeRtp(datagram: Uint8Array): RtpPacket {
  if (datagram.length < RTP_HEADER_BYTES) throw new ProtocolError('truncated', 'RTP header shorter than 12 bytes');
  const first = datagram[0]!;
  if ((first & 0xc0) !== 0x80) throw new ProtocolError('bad_version', 'not RTP version 2');
  const hasPadding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  let headerLength = RTP_HEADER_BYTES + 4 * csrcCount;
  if (hasExtension) {
    if (datagram.length < headerLength + 4) throw new ProtocolError('truncated', 'RTP extension header cut short');
    const extensionWords = (datagram[headerLength + 2]! << 8) | datagram[headerLength + 3]!;
    headerLength += 4 + 4 * extensionWords;
  }
  if (datagram.length < headerLength) throw new ProtocolError('truncated', 'RTP header longer than the packet');
  let payloadEnd = datagram.length;
  if (hasPadding) {
    const padding = datagram[datagram.length - 1]!;
    if (padding === 0 || padding > datagram.length - headerLength) {
      throw new ProtocolError('malformed', 'RTP padding length is invalid');
    }
    payloadEnd -= padding;
  }
  const second = datagram[1]!;
  return {
    marker: (second & 0x80) !== 0,
    payloadType: second & 0x7f,
    sequence: (datagram[2]! << 8) | datagram[3]!,
    timestamp: ((datagram[4]! << 24) | (datagram[5]! << 16) | (datagram[6]! << 8) | datagram[7]!) >>> 0,
    ssrc: ((datagram[8]! << 24) | (datagram[9]! << 16) | (datagram[10]! << 8) | datagram[11]!) >>> 0,
    headerBytes: datagram.subarray(0, headerLength),
    payload: datagram.subarray(headerLength, payloadEnd),
  };
}

/**
 * Extends a 16-bit sequence number to a 48-bit packet index, choosing the
 * roll-over count that puts it nearest the highest index seen so far (the
 * estimate of RFC 3711 §3.3.1). `highest` is -1 before the first packet.
 */
export function extendSequence(highest: number, sequence: number): number {
  if (highest < 0) return sequence;
  const rollover = Math.floor(highest / 65536);
  const highSeq = highest % 65536;
  let candidateRollover = rollover;
  if (highSeq < 32768) {
    if (sequence - highSeq > 32768 && rollover > 0) candidateRollover = rollover - 1;
  } else if (highSeq - 32768 > sequence) {
    candidateRollover = rollover + 1;
  }
  return candidateRollover * 65536 + sequence;
}

/** Signed distance from a to b in 32-bit RTP timestamp space (wrap-aware). */
export function timestampDelta(from: number, to: number): number {
  return (to - from) | 0;
}
