import { mediaNonce, open, seal } from './crypto.js';
import type { RtpPacket } from './rtp.js';

/**
 * End-to-end media protection, in the manner of SRTP's AEAD mode: the RTP
 * header stays readable (the relay routes by SSRC, capture tools can analyse
 * streams) but is authenticated; the payload is encrypted under the sender's
 * key with a nonce of SSRC and 48-bit packet index, which never repeats
 * because every session has its own key and the index only grows.
 */
export function sealMediaPayload(key: Uint8Array, headerBytes: Uint8Array, ssrc: number, packetIndex: number, payload: Uint8Array): Buffer {
  return Buffer.concat([headerBytes, seal(key, mediaNonce(ssrc, packetIndex), payload, headerBytes)]);
}

/** The decrypted payload, or null if the packet was forged, corrupted or sealed under another key. */
export function openMediaPayload(key: Uint8Array, packet: RtpPacket, packetIndex: number): Buffer | null {
  return open(key, mediaNonce(packet.ssrc, packetIndex), packet.payload, packet.headerBytes);
}
