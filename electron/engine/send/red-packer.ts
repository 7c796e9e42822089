import { LIMITS, OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../../server/protocol/constants.js';
import { MAX_MEDIA_SEAL_OVERHEAD } from '../../../server/protocol/media-crypto.js';
import { encodeRed, type RedBlock } from '../../../server/protocol/red.js';
import { RTP_HEADER_BYTES } from '../../../server/protocol/rtp.js';

/** Largest RED payload that still fits one datagram once the RTP header, roll-over counter and AEAD tag are added. */
export const MAX_RED_PAYLOAD_BYTES = LIMITS.maxDatagramBytes - RTP_HEADER_BYTES - MAX_MEDIA_SEAL_OVERHEAD;
/** A redundant copy may be at most this many times the primary's size. */
export const MAX_REDUNDANCY_RATIO = 2;
/** RFC 2198 block header limits: 10-bit length, 14-bit timestamp offset. */
const MAX_BLOCK_BYTES = 0x3ff;
const MAX_TIMESTAMP_OFFSET = 0x3fff;
export const MAX_RED_DEPTH = 2;

interface SentFrame {
  data: Uint8Array;
  sampleIndex: number;
}

export interface PackedFrame {
  payloadType: number;
  payload: Uint8Array;
  /** How many earlier frames ride along. */
  redundantFrames: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Packs each Opus frame either alone (payload type 111) or, when redundancy
 * is wanted, as RFC 2198 RED (payload type 63) carrying copies of the one or
 * two frames just before it, so a receiver recovers a lost packet from the
 * next one (or, at depth 2, the one after).
 * The end-of-talk marker (an empty primary) carries them too: the last frame
 * of a talkspurt has no later packet to ride on. It
 * remembers only an unbroken run of frames: `forget()` at a talkspurt start
 * or after a frame not sent (DTX), so a copy is always of the frame
 * immediately preceding, never of stale audio.
 */
export class RedPacker {
  private readonly history: SentFrame[] = [];

  forget(): void {
    this.history.length = 0;
  }

  /** `depth`: how many of the frames just before ride along (0: none; the policy's choice, packet by packet). */
  pack(frame: Uint8Array, sampleIndex: number, depth: number): PackedFrame {
    const redundant = this.redundantBlocks(frame, sampleIndex, checkedDepth(depth));
    this.history.push({ data: frame, sampleIndex });
    if (this.history.length > MAX_RED_DEPTH) this.history.shift();
    if (redundant.length === 0) return { payloadType: OPUS_PAYLOAD_TYPE, payload: frame, redundantFrames: 0 };
    return {
      payloadType: RED_PAYLOAD_TYPE,
      payload: encodeRed(redundant, { payloadType: OPUS_PAYLOAD_TYPE, data: frame }),
      redundantFrames: redundant.length,
    };
  }

  /**
   * The end-of-talk marker stamped at `sampleIndex` (where the next frame
   * would have begun): an empty Opus packet, or with redundancy an empty
   * primary after copies of the talkspurt's last frames. Once per talkspurt,
   * so the copies need not keep to twice the (empty) primary.
   */
  packEndOfTalk(sampleIndex: number, depth: number): PackedFrame {
    const redundant = this.redundantBlocks(EMPTY, sampleIndex, checkedDepth(depth), false);
    this.forget();
    if (redundant.length === 0) return { payloadType: OPUS_PAYLOAD_TYPE, payload: EMPTY, redundantFrames: 0 };
    return { payloadType: RED_PAYLOAD_TYPE, payload: encodeRed(redundant, { payloadType: OPUS_PAYLOAD_TYPE, data: EMPTY }), redundantFrames: redundant.length };
  }

  /**
   * The last `depth` frames, newest first, each taken only if it keeps within the limits:
   * no larger than twice the primary (a near-silent primary does not drag
   * a loud frame's bytes along), unless `boundByPrimary` is false, and the
   * whole packet within one datagram.
   */
  private redundantBlocks(primary: Uint8Array, sampleIndex: number, depth: number, boundByPrimary = true): RedBlock[] {
    const blocks: RedBlock[] = [];
    let size = 1 + primary.length;
    for (let i = this.history.length - 1; i >= Math.max(0, this.history.length - depth); i--) {
      const earlier = this.history[i]!;
      const offset = sampleIndex - earlier.sampleIndex;
      const fits =
        (!boundByPrimary || earlier.data.length <= MAX_REDUNDANCY_RATIO * primary.length) &&
        earlier.data.length <= MAX_BLOCK_BYTES &&
        offset <= MAX_TIMESTAMP_OFFSET &&
        size + 4 + earlier.data.length <= MAX_RED_PAYLOAD_BYTES;
      if (!fits) break;
      size += 4 + earlier.data.length;
      blocks.unshift({ payloadType: OPUS_PAYLOAD_TYPE, timestampOffset: offset, data: earlier.data });
    }
    return blocks;
  }
}

function checkedDepth(depth: number): number {
  if (!(Number.isInteger(depth) && depth >= 0 && depth <= MAX_RED_DEPTH)) throw new RangeError(`RED depth ${depth} must be 0 to ${MAX_RED_DEPTH}`);
  return depth;
}
