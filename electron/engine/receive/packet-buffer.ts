import type { OpusPacketInfo } from './opus-packet.js';

/** One encoded frame waiting to be played. */
export interface BufferedFrame {
  /** Extended RTP timestamp of its first sample. */
  ts: number;
  /** Extended sequence number; inferred for a frame known only from a RED copy. */
  seq: number;
  samples: number;
  payload: Uint8Array;
  info: OpusPacketInfo;
  source: 'primary' | 'red';
  /** RTP marker: the first packet of a talkspurt. */
  marker: boolean;
  /** Arrival of the packet that carried it. */
  arrivalMs: number;
}

export type InsertOutcome = 'inserted' | 'duplicate' | 'upgraded' | 'redundantKnown';

/**
 * The frames waiting for playout, ordered by timestamp and bounded in count:
 * when full, the oldest frame makes room (a flood costs old audio, never
 * memory).
 */
export class PacketBuffer {
  private readonly frames: BufferedFrame[] = [];
  /** Frames pushed out because the buffer was full, since creation. */
  overflowDropped = 0;

  constructor(readonly capacity: number) {}

  insert(frame: BufferedFrame): InsertOutcome {
    const at = this.lowerBound(frame.ts);
    const existing = this.frames[at];
    if (existing && existing.ts === frame.ts) {
      if (frame.source === 'red') return 'redundantKnown';
      if (existing.source === 'primary') return 'duplicate';
      // The original arrived after its RED copy: play the original, it may be the better encoding.
      this.frames[at] = frame;
      return 'upgraded';
    }
    this.frames.splice(at, 0, frame);
    if (this.frames.length > this.capacity) {
      this.frames.shift();
      this.overflowDropped++;
    }
    return 'inserted';
  }

  get size(): number {
    return this.frames.length;
  }

  get earliest(): BufferedFrame | undefined {
    return this.frames[0];
  }

  /** The frame starting exactly at `ts`. */
  at(ts: number): BufferedFrame | undefined {
    const frame = this.frames[this.lowerBound(ts)];
    return frame && frame.ts === ts ? frame : undefined;
  }

  /** The earliest frame starting after `ts`. */
  firstAfter(ts: number): BufferedFrame | undefined {
    return this.frames[this.lowerBound(ts + 1)];
  }

  /** The earliest frame starting at or after `ts`. */
  firstFrom(ts: number): BufferedFrame | undefined {
    return this.frames[this.lowerBound(ts)];
  }

  /** The frame with the latest timestamp, or undefined when empty. */
  get newest(): BufferedFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** End timestamp of the newest frame held, or undefined when empty. */
  get newestEnd(): number | undefined {
    const last = this.frames[this.frames.length - 1];
    return last && last.ts + last.samples;
  }

  /** Removes and returns every frame starting before `ts`. */
  dropBefore(ts: number): BufferedFrame[] {
    const count = this.lowerBound(ts);
    return this.frames.splice(0, count);
  }

  remove(frame: BufferedFrame): void {
    const at = this.lowerBound(frame.ts);
    if (this.frames[at] === frame) this.frames.splice(at, 1);
  }

  /** Index of the first frame with ts >= `ts`. */
  private lowerBound(ts: number): number {
    let low = 0;
    let high = this.frames.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.frames[mid]!.ts < ts) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
