import { LOSS_UNKNOWN } from '../../../server/protocol/session-messages.js';

/** What one peer's receive path reports; percentages are 0–100, cumulative since it was created. */
export interface PeerReceiveStats {
  /** Distinct packets accepted (audio and end-of-talkspurt markers). */
  packetsReceived: number;
  duplicates: number;
  /**
   * Packets refused as unusable: bad header values, unknown payload type, malformed Opus or RED,
   * or a sequence number far outside the stream (a stray, or the first packet of a sender that restarted).
   */
  malformed: number;
  /** Packets that arrived after their playout time had passed, and were dropped. */
  late: number;
  latePct: number;
  /** Frames due for playout that were never obtained, neither the original nor a RED copy. */
  lost: number;
  lostPct: number;
  /** Frames due whose original was missing but whose RED copy played. */
  recoveredByRed: number;
  recoveredByRedPct: number;
  /** Frames dropped unplayed to shed delay after a stall or because the buffer was full. */
  discarded: number;
  /** Share of the audio played in talkspurts that was concealment. */
  concealedPct: number;
  /** Audio removed by time compression to bring the delay down to target. */
  timeCompressedMs: number;
  /** Audio added by time stretching to bring the delay up to target. */
  timeStretchedMs: number;
  /** RFC 3550 interarrival jitter. */
  jitterMs: number;
  targetDelayMs: number;
  /** Audio held ahead of the playout point at the last block. */
  bufferDelayMs: number;
  /** The last block played decoded audio (not concealment, not silence). */
  talking: boolean;
  /** RMS of the last block in dBFS, before volume and mute; SILENCE_DB for silence. */
  level: number;
  bufferedFrames: number;
}

/** Loss and jitter for the session's PING: the sender learns how it is heard. */
export interface PeerReceiverReport {
  /** RFC 3550 fraction lost since the last report, in tenths of a percent; 0xffff when nothing was expected. */
  lossPermille: number;
  jitterMs: number;
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : 0;
}

/**
 * RFC 3550 §6.4.1 interval loss: packets expected (from the extended highest
 * sequence number) against packets received, since the previous report.
 */
export class IntervalLoss {
  private expectedBefore = 0;
  private receivedBefore = 0;

  report(expected: number, received: number): number {
    const expectedInterval = expected - this.expectedBefore;
    const receivedInterval = received - this.receivedBefore;
    this.expectedBefore = expected;
    this.receivedBefore = received;
    if (expectedInterval <= 0) return LOSS_UNKNOWN;
    const lost = Math.max(0, expectedInterval - receivedInterval);
    return Math.min(1000, Math.round((1000 * lost) / expectedInterval));
  }
}
