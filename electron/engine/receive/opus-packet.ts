/**
 * Reads the framing of an Opus packet (RFC 6716 §3.1–3.2) without decoding
 * it: how long it plays, and whether it is well formed. Malformed packets are
 * refused here so the decoder only ever sees packets libopus will accept.
 */

/** Longest compressed frame RFC 6716 allows (R2). */
const MAX_FRAME_BYTES = 1275;
/** Longest audio one packet may carry (R5): 120 ms at 48 kHz. */
const MAX_PACKET_SAMPLES = 5760;

/** Frame sizes in 48 kHz samples for TOC configs 0–31 (RFC 6716 Table 2). */
const FRAME_SAMPLES_BY_CONFIG: readonly number[] = [
  // SILK-only NB, MB, WB: 10, 20, 40, 60 ms
  480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880,
  // Hybrid SWB, FB: 10, 20 ms
  480, 960, 480, 960,
  // CELT-only NB, WB, SWB, FB: 2.5, 5, 10, 20 ms
  120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960,
];

export interface OpusPacketInfo {
  /** The table-of-contents byte. */
  toc: number;
  /** Samples per frame at 48 kHz. */
  frameSamples: number;
  frameCount: number;
  /** Samples the whole packet decodes to at 48 kHz. */
  totalSamples: number;
}

export type OpusParseResult = { ok: true; info: OpusPacketInfo } | { ok: false; reason: string };

export function frameSamplesOf(toc: number): number {
  return FRAME_SAMPLES_BY_CONFIG[toc >> 3]!;
}

/**
 * A one-byte packet with only the TOC byte: libopus treats any packet of
 * length ≤ 1 as lost and conceals exactly one frame of that TOC's size. Code 0
 * is forced so it means one frame, not two.
 */
export function concealmentPacket(toc: number): Uint8Array {
  return Uint8Array.of(toc & 0xfc);
}

/** Validates an Opus packet against RFC 6716 §3.4 (R1–R7) and reports its duration. */
export function parseOpusPacket(packet: Uint8Array): OpusParseResult {
  if (packet.length < 1) return fail('empty packet');
  const toc = packet[0]!;
  const frameSamples = frameSamplesOf(toc);
  const body = packet.length - 1;
  switch (toc & 0x03) {
    case 0:
      if (body > MAX_FRAME_BYTES) return fail('frame longer than 1275 bytes');
      return ok(toc, frameSamples, 1);
    case 1:
      if (body % 2 !== 0) return fail('code 1 packet with frames of unequal size');
      if (body / 2 > MAX_FRAME_BYTES) return fail('frame longer than 1275 bytes');
      return ok(toc, frameSamples, 2);
    case 2: {
      const first = readFrameLength(packet, 1);
      if (!first) return fail('code 2 frame length cut short');
      const remaining = packet.length - first.next;
      if (first.length > remaining) return fail('code 2 first frame runs past the packet');
      if (remaining - first.length > MAX_FRAME_BYTES) return fail('frame longer than 1275 bytes');
      return ok(toc, frameSamples, 2);
    }
    default:
      return parseCode3(packet, toc, frameSamples);
  }
}

function parseCode3(packet: Uint8Array, toc: number, frameSamples: number): OpusParseResult {
  if (packet.length < 2) return fail('code 3 packet without a frame count byte');
  const countByte = packet[1]!;
  const variable = (countByte & 0x80) !== 0;
  const padded = (countByte & 0x40) !== 0;
  const count = countByte & 0x3f;
  if (count === 0) return fail('code 3 packet with zero frames');
  if (count * frameSamples > MAX_PACKET_SAMPLES) return fail('packet longer than 120 ms');
  let at = 2;
  let padding = 0;
  if (padded) {
    for (;;) {
      if (at >= packet.length) return fail('padding length cut short');
      const byte = packet[at++]!;
      padding += byte === 255 ? 254 : byte;
      if (byte !== 255) break;
    }
  }
  let available = packet.length - at - padding;
  if (available < 0) return fail('padding runs past the packet');
  if (!variable) {
    if (available % count !== 0) return fail('constant-bitrate frames of unequal size');
    if (available / count > MAX_FRAME_BYTES) return fail('frame longer than 1275 bytes');
    return ok(toc, frameSamples, count);
  }
  for (let i = 0; i < count - 1; i++) {
    const frame = readFrameLength(packet, at);
    if (!frame) return fail('frame length cut short');
    available -= frame.next - at;
    at = frame.next;
    if (frame.length > available) return fail('frame runs past the packet');
    available -= frame.length;
  }
  if (available < 0) return fail('frame lengths run past the packet');
  if (available > MAX_FRAME_BYTES) return fail('frame longer than 1275 bytes');
  return ok(toc, frameSamples, count);
}

/** One- or two-byte frame length (RFC 6716 §3.2.1). */
function readFrameLength(packet: Uint8Array, at: number): { length: number; next: number } | undefined {
  if (at >= packet.length) return undefined;
  const first = packet[at]!;
  if (first < 252) return { length: first, next: at + 1 };
  if (at + 1 >= packet.length) return undefined;
  return { length: first + 4 * packet[at + 1]!, next: at + 2 };
}

function ok(toc: number, frameSamples: number, frameCount: number): OpusParseResult {
  return { ok: true, info: { toc, frameSamples, frameCount, totalSamples: frameSamples * frameCount } };
}

function fail(reason: string): OpusParseResult {
  return { ok: false, reason };
}
