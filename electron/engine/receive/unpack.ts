import { LIMITS, OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../../server/protocol/constants.js';
import { ProtocolError } from '../../../server/protocol/errors.js';
import { decodeRed } from '../../../server/protocol/red.js';
import { parseOpusPacket, type OpusPacketInfo } from './opus-packet.js';

/** One decrypted media packet of one peer, as the session delivers it. */
export interface IncomingPacket {
  /**
   * The RTP sequence number extended across wrap-arounds: the 48-bit packet
   * index the session computed to open the packet, passed on rather than
   * derived again.
   */
  index: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  payload: Uint8Array;
  /** Local arrival time; must come from the same clock as the `nowMs` given to pull(). */
  arrivalMs: number;
}

/** One Opus packet carried by an RTP packet, with where it sits in time. */
export interface EncodedFrame {
  /** How far before the RTP packet's timestamp this frame starts: 0 for the primary. */
  timestampOffset: number;
  payload: Uint8Array;
  info: OpusPacketInfo;
}

export type UnpackResult =
  | {
      ok: true;
      /** The sender's explicit end of talkspurt: an Opus packet with an empty payload. */
      endOfTalkspurt: boolean;
      primary: EncodedFrame | undefined;
      /** RFC 2198 redundant copies of older frames, oldest first. */
      redundant: EncodedFrame[];
    }
  | { ok: false; reason: string };

/**
 * Checks an incoming packet and splits it into the Opus frames it carries.
 * Anything unusable is reported with a reason, never thrown.
 */
export function unpackPacket(packet: IncomingPacket): UnpackResult {
  const headerProblem = checkHeader(packet);
  if (headerProblem) return { ok: false, reason: headerProblem };
  if (packet.payloadType === OPUS_PAYLOAD_TYPE) return unpackPrimary(packet.payload, []);
  if (packet.payloadType !== RED_PAYLOAD_TYPE) return { ok: false, reason: `unexpected payload type ${packet.payloadType}` };
  let red: ReturnType<typeof decodeRed>;
  try {
    red = decodeRed(packet.payload);
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, reason: error.message };
    throw error;
  }
  if (red.primary.payloadType !== OPUS_PAYLOAD_TYPE) {
    return { ok: false, reason: `RED primary of unexpected payload type ${red.primary.payloadType}` };
  }
  const redundant: EncodedFrame[] = [];
  for (const block of red.redundant) {
    // A redundant copy that is unusable costs only the redundancy: the packet itself still counts.
    if (block.payloadType !== OPUS_PAYLOAD_TYPE || block.data.length === 0 || block.timestampOffset === 0) continue;
    const parsed = parseOpusPacket(block.data);
    if (parsed.ok) redundant.push({ timestampOffset: block.timestampOffset, payload: block.data, info: parsed.info });
  }
  return unpackPrimary(red.primary.data, redundant);
}

function unpackPrimary(payload: Uint8Array, redundant: EncodedFrame[]): UnpackResult {
  if (payload.length === 0) return { ok: true, endOfTalkspurt: true, primary: undefined, redundant };
  const parsed = parseOpusPacket(payload);
  if (!parsed.ok) return { ok: false, reason: `malformed Opus packet: ${parsed.reason}` };
  return { ok: true, endOfTalkspurt: false, primary: { timestampOffset: 0, payload, info: parsed.info }, redundant };
}

const MAX_PACKET_INDEX = 2 ** 48 - 1;

function checkHeader(packet: IncomingPacket): string | undefined {
  if (!Number.isInteger(packet.index) || packet.index < 0 || packet.index > MAX_PACKET_INDEX) return 'packet index is not a 48-bit integer';
  if (!Number.isInteger(packet.timestamp) || packet.timestamp < 0 || packet.timestamp > 0xffffffff) {
    return 'timestamp is not a 32-bit integer';
  }
  if (!Number.isFinite(packet.arrivalMs)) return 'arrival time is not a finite number';
  if (!(packet.payload instanceof Uint8Array)) return 'payload is not bytes';
  if (packet.payload.length > LIMITS.maxDatagramBytes) return 'payload larger than any datagram Parley sends';
  return undefined;
}
