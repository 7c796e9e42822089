import { SAMPLE_RATE } from '../audio-format.js';
import { ReceivedWindow } from './received-window.js';
import { unwrapSequence, unwrapTimestamp } from './rtp-unwrap.js';

/** A sequence number further ahead than this is not a gap but a jump (RFC 3550 A.1 MAX_DROPOUT). */
const MAX_DROPOUT = 3000;
/** Further behind than this is not reordering but a jump (as far back as duplicates are recognised). */
const MAX_MISORDER = 1024;
/** A timestamp this far behind, on a packet whose sequence number moves on, means the sender's clock restarted. */
const MAX_TIMESTAMP_BACKWARDS = 10 * SAMPLE_RATE;

export type Placement =
  /** `restarted`: this packet begins a new stream (the sender restarted its counters); everything before is void. */
  | { kind: 'new'; seq: number; ts: number; restarted: boolean }
  /** A first copy, but older than duplicates are remembered: too late for anything. */
  | { kind: 'tooOld' }
  | { kind: 'duplicate' }
  /** Far outside the stream: dropped, unless the next packet follows it (then the stream restarts there). */
  | { kind: 'outOfStream' };

/**
 * Places each packet in its sender's stream: sequence numbers and timestamps
 * extended across wrap-around, duplicates recognised, and a sender that
 * restarted its counters (a new random sequence number or timestamp) followed
 * after two consecutive packets agree, as RFC 3550 A.1 does, rather than its
 * packets being taken as ancient or far-future forever.
 */
export class StreamTracker {
  private window = new ReceivedWindow();
  private highestSeq: number | undefined;
  private lowestSeq: number | undefined;
  private highestTs: number | undefined;
  private received = 0;
  /** The sequence number that would confirm a jump, if one is pending. */
  private badSeq: number | undefined;

  place(sequence: number, timestamp: number): Placement {
    let restarted = false;
    if (this.highestSeq !== undefined && this.highestTs !== undefined) {
      const seqDelta = unwrapSequence(this.highestSeq, sequence) - this.highestSeq;
      const tsDelta = unwrapTimestamp(this.highestTs, timestamp) - this.highestTs;
      const jumped = seqDelta > MAX_DROPOUT || seqDelta < -MAX_MISORDER || (seqDelta > 0 && tsDelta < -MAX_TIMESTAMP_BACKWARDS);
      if (jumped) {
        if (sequence !== this.badSeq) {
          this.badSeq = (sequence + 1) & 0xffff;
          return { kind: 'outOfStream' };
        }
        this.reset();
        restarted = true;
      }
    }
    this.badSeq = undefined;
    const seq = unwrapSequence(this.highestSeq, sequence);
    const ts = unwrapTimestamp(this.highestTs, timestamp);
    const receipt = this.window.record(seq);
    if (receipt === 'duplicate') return { kind: 'duplicate' };
    this.received++;
    this.highestSeq = Math.max(this.highestSeq ?? seq, seq);
    this.lowestSeq = Math.min(this.lowestSeq ?? seq, seq);
    this.highestTs = Math.max(this.highestTs ?? ts, ts);
    return receipt === 'tooOld' ? { kind: 'tooOld' } : { kind: 'new', seq, ts, restarted };
  }

  /** Packets expected in the current stream so far (RFC 3550: highest − first + 1). */
  get expected(): number {
    return this.highestSeq === undefined ? 0 : this.highestSeq - this.lowestSeq! + 1;
  }

  /** Distinct packets received in the current stream. */
  get receivedInStream(): number {
    return this.received;
  }

  private reset(): void {
    this.window = new ReceivedWindow();
    this.highestSeq = undefined;
    this.lowestSeq = undefined;
    this.highestTs = undefined;
    this.received = 0;
  }
}
