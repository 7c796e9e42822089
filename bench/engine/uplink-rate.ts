import { SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import { AEAD_TAG_BYTES } from '../../server/protocol/crypto.js';
import { readSealedMedia } from '../../server/protocol/media-crypto.js';
import { decodeRtp, isRtp } from '../../server/protocol/rtp.js';
import { round } from './stats.js';

/** IPv4 (20 bytes) and UDP (8) headers around every datagram. */
export const IP_UDP_BYTES = 28;
/** The encoder needs a moment of quiet before DTX sets in; the silent rate is measured after it. */
export const SETTLE_MS = 1_000;

interface MediaDatagram {
  timestamp: number;
  marker: boolean;
  wireBytes: number;
  payloadBytes: number;
  endMarker: boolean;
}

export interface UplinkRate {
  seconds: number;
  packets: number;
  payloadKbps: number;
  wireKbps: number;
  keepaliveWireKbps: number;
}

/**
 * The bitrate case's arithmetic, apart from the run that records the
 * datagrams: payload is the Opus (or RED) bytes inside the AEAD; on the wire
 * adds the RTP header, the 16-byte tag and IPv4 + UDP. Talking: every media
 * packet over the talkspurts' summed media time. Silent: the packets after
 * the encoder settled, over the rest of the input's `silentSeconds`. Control
 * datagrams (keepalives) count over the run's `wallMs`.
 */
export function uplinkRate(
  toRelay: readonly Uint8Array[],
  options: { mode: 'talking' | 'silent'; frameMs: number; silentSeconds: number; wallMs: number },
): UplinkRate {
  const media = toRelay.filter((datagram) => isRtp(datagram)).map(describe);
  const controlBytes = toRelay.filter((datagram) => !isRtp(datagram)).reduce((sum, datagram) => sum + datagram.length + IP_UDP_BYTES, 0);
  const window = options.mode === 'talking' ? talkspurtWindow(media, options.frameMs) : settledWindow(media, options.silentSeconds);
  const kbps = (bytes: number): number => round((bytes * 8) / window.ms, 2);
  return {
    seconds: round(window.ms / 1000, 2),
    packets: window.packets.length,
    payloadKbps: kbps(window.packets.reduce((sum, packet) => sum + packet.payloadBytes, 0)),
    wireKbps: kbps(window.packets.reduce((sum, packet) => sum + packet.wireBytes, 0)),
    keepaliveWireKbps: round((controlBytes * 8) / options.wallMs, 2),
  };
}

function describe(datagram: Uint8Array): MediaDatagram {
  const packet = decodeRtp(datagram);
  const payloadBytes = readSealedMedia(packet).sealed.length - AEAD_TAG_BYTES;
  return { timestamp: packet.timestamp, marker: packet.marker, wireBytes: datagram.length + IP_UDP_BYTES, payloadBytes, endMarker: payloadBytes === 0 };
}

/** Every media packet, over the summed media time of the talkspurts (first frame to last frame's end). */
function talkspurtWindow(media: MediaDatagram[], frameMs: number): { ms: number; packets: MediaDatagram[] } {
  let ms = 0;
  let spurtStart: number | undefined;
  let lastAudio: number | undefined;
  const close = (): void => {
    if (spurtStart !== undefined && lastAudio !== undefined) ms += ((lastAudio - spurtStart) * 1000) / SAMPLE_RATE + frameMs;
    spurtStart = lastAudio = undefined;
  };
  for (const packet of media) {
    if (packet.endMarker) {
      close();
      continue;
    }
    if (packet.marker && spurtStart !== undefined && lastAudio !== undefined && packet.timestamp - lastAudio > (frameMs * SAMPLE_RATE) / 1000) close();
    spurtStart ??= packet.timestamp;
    lastAudio = packet.timestamp;
  }
  close();
  return { ms, packets: media };
}

/** The packets after the encoder settled, over the rest of the input's duration. */
function settledWindow(media: MediaDatagram[], seconds: number): { ms: number; packets: MediaDatagram[] } {
  const first = media[0]?.timestamp ?? 0;
  const from = first + (SETTLE_MS * SAMPLE_RATE) / 1000;
  return { ms: seconds * 1000 - SETTLE_MS, packets: media.filter((packet) => ((packet.timestamp - from) | 0) >= 0) };
}
