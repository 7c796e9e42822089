import { intervalLossPermille } from '../../../server/protocol/session-messages.js';
import { SAMPLES_PER_MS } from '../audio-format.js';
import { InterarrivalJitter } from './interarrival-jitter.js';

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

/** The live values that complete the counters into stats: they describe the moment, not the history. */
export type LiveReceiveState = Pick<PeerReceiveStats, 'targetDelayMs' | 'bufferDelayMs' | 'talking' | 'level' | 'bufferedFrames'>;

/**
 * Every count one peer's receive path keeps, in one place (NetEQ keeps its
 * statistics calculator the same way): the receiver, the playout and the
 * concealment add to it as things happen; `stats()` and `report()` read it.
 */
export class ReceiveStatistics {
  packetsReceived = 0;
  duplicates = 0;
  malformed = 0;
  late = 0;
  decodedFromPrimary = 0;
  recoveredByRed = 0;
  lost = 0;
  discarded = 0;
  decodeErrors = 0;
  /** Output samples of decoded audio and of concealment, counted as played. */
  decodedSamplesPlayed = 0;
  concealedSamplesPlayed = 0;
  timeCompressedSamples = 0;
  timeStretchedSamples = 0;
  private jitter = new InterarrivalJitter();
  private intervalLoss = new IntervalLoss();

  /** A packet with audio arrived: RFC 3550 jitter follows its transit. */
  packetArrived(arrivalMs: number, mediaTimeMs: number): void {
    this.jitter.onPacket(arrivalMs, mediaTimeMs);
  }

  /** The sender restarted its counters: jitter and interval loss start again with the new stream. */
  streamRestarted(): void {
    this.jitter = new InterarrivalJitter();
    this.intervalLoss = new IntervalLoss();
  }

  stats(live: LiveReceiveState): PeerReceiveStats {
    const due = this.decodedFromPrimary + this.recoveredByRed + this.lost;
    return {
      packetsReceived: this.packetsReceived,
      duplicates: this.duplicates,
      malformed: this.malformed,
      late: this.late,
      latePct: percent(this.late, this.packetsReceived),
      lost: this.lost,
      lostPct: percent(this.lost, due),
      recoveredByRed: this.recoveredByRed,
      recoveredByRedPct: percent(this.recoveredByRed, due),
      discarded: this.discarded,
      concealedPct: percent(this.concealedSamplesPlayed, this.concealedSamplesPlayed + this.decodedSamplesPlayed),
      timeCompressedMs: this.timeCompressedSamples / SAMPLES_PER_MS,
      timeStretchedMs: this.timeStretchedSamples / SAMPLES_PER_MS,
      jitterMs: this.jitter.ms,
      ...live,
    };
  }

  /** Loss since the previous call (RFC 3550 fraction lost), from the stream's expected and received counts, and current jitter. */
  report(expected: number, received: number): PeerReceiverReport {
    return {
      lossPermille: this.intervalLoss.report(expected, received),
      jitterMs: Math.min(0xffff, Math.round(this.jitter.ms)),
    };
  }
}

function percent(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : 0;
}

/**
 * RFC 3550 §6.4.1 interval loss: packets expected (from the extended highest
 * sequence number) against packets received, since the previous report.
 */
class IntervalLoss {
  private expectedBefore = 0;
  private receivedBefore = 0;

  report(expected: number, received: number): number {
    const expectedInterval = expected - this.expectedBefore;
    const receivedInterval = received - this.receivedBefore;
    this.expectedBefore = expected;
    this.receivedBefore = received;
    return intervalLossPermille(expectedInterval, receivedInterval);
  }
}
