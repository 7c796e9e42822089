import { WavFileSource } from '../../electron/audio/index.js';
import { SAMPLE_RATE, type FrameMs } from '../../electron/engine/audio-format.js';
import type { SendPipelineSettings } from '../../electron/engine/send/send-pipeline.js';
import type { Activation } from '../../electron/engine/send/transmit-gate.js';
import { AEAD_TAG_BYTES } from '../../server/protocol/crypto.js';
import { readSealedMedia } from '../../server/protocol/media-crypto.js';
import { decodeRtp, isRtp } from '../../server/protocol/rtp.js';
import { loadSpeech, noise } from '../../test/engine/send/helpers.js';
import { ended, sleep, VoiceRig } from '../../test/support/voice-rig.js';
import { round } from './stats.js';

/** IPv4 (20 bytes) and UDP (8) headers around every datagram. */
const IP_UDP_BYTES = 28;
/** A quiet microphone's noise: uniform ±0.00097, −65 dBFS RMS, as in the speech fixture's background. */
export const QUIET_ROOM = 0.00097;
/** The encoder needs a moment of quiet before DTX sets in; the silent rate is measured after it. */
const SETTLE_MS = 1_000;

interface MediaDatagram {
  timestamp: number;
  marker: boolean;
  wireBytes: number;
  payloadBytes: number;
  endMarker: boolean;
}

/**
 * Uplink bit rate, read off the datagrams the talker actually sent to the
 * relay (an unimpaired proxy records them): payload is the Opus (or RED)
 * bytes inside the AEAD; on the wire adds the RTP header, the 16-byte tag and
 * IPv4 + UDP. Talking: voice activation on the speech fixture, rate over the
 * talkspurts' media time. Silent: a quiet room (or digital silence), with
 * voice activation (nothing should go out) or continuous transmission
 * (only Opus DTX updates should).
 */
export async function bitrateCase(
  mode: 'talking' | 'silent',
  options: { frameMs: FrameMs; activation: Activation; silentSeconds: number; noiseAmplitude?: number },
): Promise<Record<string, unknown>> {
  const rig = await VoiceRig.start();
  try {
    const noiseAmplitude = options.noiseAmplitude ?? QUIET_ROOM;
    const signal = mode === 'talking' ? loadSpeech() : noise(options.silentSeconds, noiseAmplitude, 3);
    const source = new WavFileSource({ path: rig.writeWav(mode, signal) });
    const done = ended(source);
    const send: Partial<SendPipelineSettings> = { frameMs: options.frameMs, activation: options.activation };
    const { client, proxy } = await rig.join({ name: 'talker', input: source, send, network: { seed: 1 } });
    proxy!.record = true;
    const startedAt = performance.now();
    await done;
    await sleep(100);
    await client.leave();
    const wallMs = performance.now() - startedAt;
    const recorded = proxy!.recorded.toRelay;
    const media = recorded.filter((datagram) => isRtp(datagram)).map(describe);
    const controlBytes = recorded.filter((datagram) => !isRtp(datagram)).reduce((sum, datagram) => sum + datagram.length + IP_UDP_BYTES, 0);
    const window = mode === 'talking' ? talkspurtWindow(media, options.frameMs) : settledWindow(media, options.silentSeconds);
    const kbps = (bytes: number): number => round((bytes * 8) / window.ms, 2);
    return {
      case: 'bitrate',
      mode,
      frameMs: options.frameMs,
      activation: send.activation,
      ...(mode === 'silent' ? { noiseDbfs: noiseAmplitude === 0 ? null : round(20 * Math.log10(noiseAmplitude / Math.sqrt(3))) } : {}),
      seconds: round(window.ms / 1000, 2),
      packets: window.packets.length,
      payloadKbps: kbps(window.packets.reduce((sum, packet) => sum + packet.payloadBytes, 0)),
      wireKbps: kbps(window.packets.reduce((sum, packet) => sum + packet.wireBytes, 0)),
      keepaliveWireKbps: round((controlBytes * 8) / wallMs, 2),
    };
  } finally {
    await rig.close();
  }
}

function describe(datagram: Buffer): MediaDatagram {
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
