import { AEAD_TAG_BYTES, mediaNonce, open, seal } from './crypto.js';
import { decodeRollover, encodeRollover, ROLLOVER_FIELD_MAX_BYTES, SEQUENCE_SPACE } from './rollover.js';
import type { RtpPacket } from './rtp.js';

/**
 * End-to-end media protection, in the manner of SRTP's AEAD mode: the RTP
 * header stays readable (the relay routes by SSRC, capture tools can analyse
 * streams) but is authenticated; the payload is encrypted under the sender's
 * key with a nonce of SSRC and 48-bit packet index, which never repeats
 * because every session has its own key and the index only grows.
 *
 * Unlike SRTP the sender states its roll-over counter in every packet (as
 * SFrame states its counter), so a receiver that first hears a sender long
 * after its sequence number wrapped, or after missing half a wrap of its
 * packets, still knows the index without guessing it.
 */
/** Most bytes sealing adds to a payload: the roll-over counter field and the tag. */
export const MAX_MEDIA_SEAL_OVERHEAD = ROLLOVER_FIELD_MAX_BYTES + AEAD_TAG_BYTES;

export function sealMediaPayload(key: Uint8Array, headerBytes: Uint8Array, ssrc: number, packetIndex: number, payload: Uint8Array): Buffer {
  const associatedData = Buffer.concat([headerBytes, encodeRollover(Math.floor(packetIndex / SEQUENCE_SPACE))]);
  return Buffer.concat([associatedData, seal(key, mediaNonce(ssrc, packetIndex), payload, associatedData)]);
}

/** A sealed media packet taken apart, before it is opened. */
export interface SealedMedia {
  /** The 48-bit packet index: the roll-over counter the packet carries, then its sequence number. */
  index: number;
  /** What the tag covers: the RTP header and the roll-over counter field. */
  associatedData: Uint8Array;
  /** Ciphertext then tag. */
  sealed: Uint8Array;
}

/** Reads the roll-over counter; throws ProtocolError if the payload cannot hold one. */
export function readSealedMedia(packet: RtpPacket): SealedMedia {
  const { rollover, length } = decodeRollover(packet.payload);
  return {
    index: rollover * SEQUENCE_SPACE + packet.sequence,
    associatedData: Buffer.concat([packet.headerBytes, packet.payload.subarray(0, length)]),
    sealed: packet.payload.subarray(length),
  };
}

/** The decrypted payload, or null if the packet was forged, corrupted or sealed under another key. */
export function openMediaPayload(key: Uint8Array, ssrc: number, media: SealedMedia): Buffer | null {
  return open(key, mediaNonce(ssrc, media.index), media.sealed, media.associatedData);
}
