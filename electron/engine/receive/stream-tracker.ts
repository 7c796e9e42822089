import { ReplayWindow } from '../../../server/protocol/replay.js';
import { timestampDelta } from '../../../server/protocol/rtp.js';
import { SAMPLE_RATE } from '../audio-format.js';

/** A packet index further ahead than this is not a gap but a jump (RFC 3550 A.1 MAX_DROPOUT). */
const MAX_DROPOUT = 3000;
/** Further behind than this is not reordering but a jump (as far back as duplicates are recognised). */
const MAX_MISORDER = 1024;
/** A timestamp this far behind, on a packet whose index moves on, means the sender's clock restarted. */
const MAX_TIMESTAMP_BACKWARDS = 10 * SAMPLE_RATE;

export type Placement =
  /** `restarted`: this packet begins a new stream (the sender restarted its counters); everything before is void. */
  | { kind: 'new'; ts: number; restarted: boolean }
  /** A first copy, but older than duplicates are remembered: too late for anything. */
  | { kind: 'tooOld' }
  | { kind: 'duplicate' }
  /** Far outside the stream: dropped, unless the next packet follows it (then the stream restarts there). */
  | { kind: 'outOfStream' };

/**
 * Places each packet in its sender's stream by its packet index (the RTP
 * sequence number as the session already extended it across wrap-around):
 * timestamps extended likewise, duplicates recognised, and a sender that
 * restarted its counters (a new random sequence number or timestamp)
 * followed after two consecutive packets agree, as RFC 3550 A.1 does, rather
 * than its packets being taken as ancient or far-future forever.
 */
export class StreamTracker {
  private window = new ReplayWindow(MAX_MISORDER);
  private highestIndex: number | undefined;
  private lowestIndex: number | undefined;
  private highestTs: number | undefined;
  private received = 0;
  /** The index that would confirm a jump, if one is pending. */
  private badIndex: number | undefined;

  place(index: number, timestamp: number): Placement {
    let restarted = false;
    if (this.highestIndex !== undefined && this.highestTs !== undefined) {
      const indexDelta = index - this.highestIndex;
      const tsDelta = timestampDelta(this.highestTs, timestamp);
      const jumped = indexDelta > MAX_DROPOUT || indexDelta < -MAX_MISORDER || (indexDelta > 0 && tsDelta < -MAX_TIMESTAMP_BACKWARDS);
      if (jumped) {
        if (index !== this.badIndex) {
          this.badIndex = index + 1;
          return { kind: 'outOfStream' };
        }
        this.reset();
        restarted = true;
      }
    }
    this.badIndex = undefined;
    const ts = this.highestTs === undefined ? timestamp : this.highestTs + timestampDelta(this.highestTs, timestamp);
    const receipt = this.window.classify(index);
    if (receipt === 'duplicate') return { kind: 'duplicate' };
    if (receipt === 'new') this.window.commit(index);
    this.received++;
    this.highestIndex = Math.max(this.highestIndex ?? index, index);
    this.lowestIndex = Math.min(this.lowestIndex ?? index, index);
    this.highestTs = Math.max(this.highestTs ?? ts, ts);
    return receipt === 'tooOld' ? { kind: 'tooOld' } : { kind: 'new', ts, restarted };
  }

  /** Packets expected in the current stream so far (RFC 3550: highest − first + 1). */
  get expected(): number {
    return this.highestIndex === undefined ? 0 : this.highestIndex - this.lowestIndex! + 1;
  }

  /** Distinct packets received in the current stream. */
  get receivedInStream(): number {
    return this.received;
  }

  private reset(): void {
    this.window = new ReplayWindow(MAX_MISORDER);
    this.highestIndex = undefined;
    this.lowestIndex = undefined;
    this.highestTs = undefined;
    this.received = 0;
  }
}
