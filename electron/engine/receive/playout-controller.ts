import { SAMPLES_PER_MS } from '../audio-format.js';
import type { DecisionLogic, Operation } from './decision-logic.js';
import type { DelayManager } from './delay-manager.js';
import type { BufferedFrame } from './packet-buffer.js';
import type { RedUsage } from './red-usage.js';
import type { EncodedFrame } from './unpack.js';

/** Frame duration assumed until the first packet says otherwise. */
const DEFAULT_FRAME_SAMPLES = 20 * SAMPLES_PER_MS;

/** What one arriving packet (with audio) tells the controller. */
export interface PacketFacts {
  arrivalMs: number;
  /** Extended timestamp of its primary frame. */
  ts: number;
  /** Length of its primary frame. */
  frameSamples: number;
  /** Its RED copies of earlier frames (none for plain Opus). */
  redundant: readonly EncodedFrame[];
  /** RTP marker: the first packet of a talkspurt. */
  marker: boolean;
}

/** What the playout holds at one decision point: plain values, read off the packet buffer and sample FIFO. */
export interface BufferStatus {
  nowMs: number;
  playing: boolean;
  /** Playing: the frame due now. Idle: the earliest frame buffered. */
  due: BufferedFrame | undefined;
  /** Playing, with the due frame missing: the earliest frame after the hole. */
  following: BufferedFrame | undefined;
  /** Extended timestamp of the frame due now (playing). */
  dueTs: number;
  /** The last frame played or given up; undefined before any. */
  last: { seq: number; samples: number } | undefined;
  /** The sender's end-of-talkspurt marker lies within the audio already played or concealed. */
  endReached: boolean;
  /** Samples concealed since the due frame became due. */
  gapConcealedSamples: number;
  /** Consecutive concealed samples. */
  concealRunSamples: number;
  /** Decoded samples in hand, not yet played. */
  heldSamples: number;
  /** Held samples plus the span of buffered frames ahead of the playout point. */
  levelSamples: number;
  /** Where the newest buffered frame starts and ends; undefined when the buffer is empty. */
  newest: { ts: number; end: number } | undefined;
}

/**
 * The receive path's controller, in the manner of WebRTC NetEQ's: packet
 * facts and buffer status in, a decision out. Behind it, each with one job
 * and passed in: the delay manager (when frames should play), the RED usage
 * (how far back the sender's copies reach, which the schedule waits for) and
 * the decision logic (what to do at each step). It turns the buffer status
 * into the schedule's verdicts — is this frame due, does that one start a
 * talkspurt, how late is playout running — so the decision logic sees plain
 * values and the playout only carries decisions out.
 */
export class PlayoutController {
  private frameSamples = DEFAULT_FRAME_SAMPLES;

  constructor(
    private readonly delays: DelayManager,
    private readonly red: RedUsage,
    private readonly logic: DecisionLogic,
  ) {}

  packetArrived(packet: PacketFacts): void {
    this.delays.onPacket(packet.arrivalMs, packet.ts / SAMPLES_PER_MS);
    this.red.onPacket(packet.redundant, packet.marker);
    this.frameSamples = packet.frameSamples;
  }

  /** The sender restarted its counters: what was measured of the old stream says nothing of the new one. */
  streamRestarted(): void {
    this.delays.reset();
    this.red.reset();
  }

  /** Time compression (negative) or stretching (positive) changed the delay by this many samples. */
  timeAdjusted(samples: number): void {
    this.logic.onTimeAdjusted(samples);
  }

  decide(status: BufferStatus): Operation {
    const transit = this.playoutTransitMs();
    const mayStart = (frame: BufferedFrame | undefined): boolean => frame !== undefined && (transit === undefined || status.nowMs >= frame.ts / SAMPLES_PER_MS + transit);
    const catchUpTs = status.newest && status.newest.end - this.targetMs * SAMPLES_PER_MS;
    return this.logic.decide({
      nowMs: status.nowMs,
      playing: status.playing,
      due: status.due,
      dueMayStart: !status.playing && mayStart(status.due),
      following: status.following,
      followingStartsTalkspurt: status.following !== undefined && startsTalkspurt(status.following, status),
      followingMayStart: mayStart(status.following),
      endReached: status.endReached,
      dueTs: status.dueTs,
      gapConcealedSamples: status.gapConcealedSamples,
      concealRunSamples: status.concealRunSamples,
      levelSamples: status.levelSamples,
      maxDelaySamples: this.delays.policy.maxDelayMs * SAMPLES_PER_MS,
      catchUpTs: catchUpTs !== undefined && catchUpTs <= status.newest!.ts ? catchUpTs : undefined,
      delayErrorMs: status.playing && transit !== undefined ? playsAtMs(status) - (status.dueTs / SAMPLES_PER_MS + transit) : 0,
    });
  }

  /** The delay held: one frame plus the schedule's wait beyond the fastest recent packet. */
  get targetMs(): number {
    return this.delays.targetMs(this.frameSamples / SAMPLES_PER_MS, this.red.depthSamples / SAMPLES_PER_MS);
  }

  /** A frame with media time t is due to play at t + this (arrival-clock ms); undefined before any packet. */
  private playoutTransitMs(): number | undefined {
    return this.delays.playoutTransitMs(this.frameSamples / SAMPLES_PER_MS, this.red.depthSamples / SAMPLES_PER_MS);
  }
}

/** When the due frame will play: once the samples already in hand have. */
function playsAtMs(status: BufferStatus): number {
  return status.nowMs + status.heldSamples / SAMPLES_PER_MS;
}

/** The RTP marker, or a timestamp leap larger than the frames missing in between explain. */
function startsTalkspurt(frame: BufferedFrame, status: BufferStatus): boolean {
  if (frame.marker) return true;
  if (status.last === undefined) return false;
  const missing = Math.max(0, frame.seq - status.last.seq - 1);
  const expectedTs = status.dueTs + missing * status.last.samples;
  return frame.ts > expectedTs + status.last.samples;
}
