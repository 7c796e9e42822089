import { Encoder } from '@evan/opus';
import { SAMPLE_RATE } from '../audio-format.js';

export const BITRATE_RANGE = { min: 16_000, max: 64_000 } as const;
export const DEFAULT_BITRATE = 24_000;
/**
 * libopus's own default and its best quality; on this machine it costs no
 * more than 8 or 9 at voice bitrates (~0.2 ms per 20 ms frame, see
 * docs/decisions/opus-encoder.md).
 */
export const DEFAULT_COMPLEXITY = 10;
/** libopus returns this many bytes or fewer for a frame that need not be sent (DTX). */
export const DTX_FRAME_MAX_BYTES = 2;

export function checkBitrate(bitrate: number): void {
  if (!(Number.isInteger(bitrate) && bitrate >= BITRATE_RANGE.min && bitrate <= BITRATE_RANGE.max)) {
    throw new RangeError(`bitrate ${bitrate} b/s must be a whole number in [${BITRATE_RANGE.min}, ${BITRATE_RANGE.max}]`);
  }
}

/**
 * libopus (through @evan/opus's native binding) set up for speech: VOIP
 * application, voice signal hint, VBR, DTX. In-band FEC stays off: no
 * JavaScript decoder exposes FEC decoding, so it would only cost bits; loss
 * is covered by RED instead. The loss hint still matters without FEC, since
 * it makes the encoder lean less on inter-frame prediction. The frame
 * duration is left to follow each input's length (libopus's default), so a
 * frame-size change needs no encoder call.
 */
export class OpusFrameEncoder {
  private readonly encoder = new Encoder({ channels: 1, sample_rate: SAMPLE_RATE, application: 'voip' });
  private currentBitrate: number;
  private lossPercent = 0;

  constructor(bitrate: number, complexity = DEFAULT_COMPLEXITY) {
    checkBitrate(bitrate);
    this.currentBitrate = bitrate;
    this.encoder.signal = 'voice';
    this.encoder.vbr = true;
    this.encoder.dtx = true;
    this.encoder.inband_fec = false;
    this.encoder.complexity = complexity as Encoder['complexity'];
    this.encoder.bitrate = bitrate;
    this.encoder.packet_loss = 0;
  }

  get bitrate(): number {
    return this.currentBitrate;
  }

  /** Takes effect from the next frame; libopus changes rate smoothly. */
  set bitrate(bitrate: number) {
    checkBitrate(bitrate);
    if (bitrate === this.currentBitrate) return;
    this.currentBitrate = bitrate;
    this.encoder.bitrate = bitrate;
  }

  get packetLossPercent(): number {
    return this.lossPercent;
  }

  set packetLossPercent(percent: number) {
    const clamped = Math.max(0, Math.min(100, Math.round(percent)));
    if (clamped === this.lossPercent) return;
    this.lossPercent = clamped;
    this.encoder.packet_loss = clamped;
  }

  /** Encodes one frame of 10, 20 or 40 ms (its length sets the duration). The result is a fresh copy. */
  encode(frame: Int16Array): Uint8Array {
    return this.encoder.encode(frame);
  }
}

export function isDtxFrame(encoded: Uint8Array): boolean {
  return encoded.length <= DTX_FRAME_MAX_BYTES;
}
