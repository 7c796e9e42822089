import { randomInt } from 'node:crypto';

/** One RTP packet for RelaySession.sendMedia (which adds the SSRC and seals it). */
export interface OutgoingPacket {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  payload: Uint8Array;
}

export interface RtpStart {
  sequence: number;
  timestamp: number;
}

/**
 * Numbers our packets. The sequence starts at a random value and counts
 * every packet; the timestamp is a random offset plus the capture-timeline
 * position of the frame's first sample, so it advances across silence by
 * exactly the audio not sent (RFC 3550 §5.1). Random starts make the
 * numbers useless to guess for anyone on the path (RFC 3550 §5.1 again).
 */
export class RtpPacketizer {
  private nextSequence: number;
  private readonly timestampOffset: number;

  constructor(start: RtpStart = { sequence: randomInt(0x10000), timestamp: randomInt(0x1_0000_0000) }) {
    this.nextSequence = start.sequence & 0xffff;
    this.timestampOffset = start.timestamp >>> 0;
  }

  get nextSequenceNumber(): number {
    return this.nextSequence;
  }

  /** The RTP timestamp of a capture-timeline sample index (wraps at 2³²). */
  timestampAt(sampleIndex: number): number {
    return (this.timestampOffset + sampleIndex) % 0x1_0000_0000;
  }

  packet(payloadType: number, payload: Uint8Array, sampleIndex: number, marker: boolean): OutgoingPacket {
    const sequence = this.nextSequence;
    this.nextSequence = (sequence + 1) & 0xffff;
    return { marker, payloadType, sequence, timestamp: this.timestampAt(sampleIndex), payload };
  }
}
