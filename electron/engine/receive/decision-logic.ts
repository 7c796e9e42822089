import { SAMPLES_PER_MS } from '../audio-format.js';
import type { BufferedFrame } from './packet-buffer.js';

/** The constants of the playout policy; docs/engine-receive.md explains each. */
export const PLAYOUT_POLICY = {
  /** Concealment plays at full strength this long... */
  concealFullMs: 60,
  /** ...then fades, reaching exact silence here; the talkspurt is then over. */
  concealSilentMs: 100,
  /** Playing this much later than scheduled starts time compression... */
  compressAboveMs: 20,
  /** ...playing any earlier starts time stretching (a RED copy or a late packet would miss its turn)... */
  stretchBelowMs: 0,
  /** ...and either works back towards this. */
  settleAtMs: 10,
  /** An excess must last this long before quiet frames are compressed... */
  quietPatienceMs: 300,
  /** ...and this long before speech itself is. */
  speechPatienceMs: 1_000,
  /** Time constant of the smoothing of the delay error (it absorbs unevenly timed playout ticks). */
  errorSmoothingMs: 200,
  /** Buffered audio beyond the maximum delay by this much is skipped outright. */
  catchUpMarginMs: 100,
} as const;

/** What the playout does to produce the next samples. */
export type Operation =
  /** Nothing to play: output silence. */
  | { kind: 'silence' }
  /** A talkspurt begins at the first frame at or after `fromTs` (after a long stall, the point to catch up to). */
  | { kind: 'start'; fromTs: number }
  /** Decode the frame due now (the original or its RED copy), compressed or stretched in time if `adjust` says so. */
  | { kind: 'decode'; frame: BufferedFrame; adjust: TimeAdjust | undefined }
  /** The frame due now is missing and concealment has covered the hole up to `frame`: it was lost, move on. */
  | { kind: 'skipTo'; frame: BufferedFrame }
  /** A new talkspurt begins at `frame` while the last one was still being concealed. */
  | { kind: 'restart'; frame: BufferedFrame }
  /** Far too much is buffered (after a long network stall): jump to the first frame at or after `fromTs`, near the newest audio. */
  | { kind: 'catchUp'; fromTs: number }
  /** The frame due now has not arrived: conceal one frame's worth and wait for it. */
  | { kind: 'conceal' }
  /** Concealment has run its course and faded to silence: the talkspurt is over. */
  | { kind: 'fadedOut' }
  /** The sender ended the talkspurt: stop without concealment. */
  | { kind: 'end' };

/** Shortening or lengthening the frame about to play, to bring the delay back to target. */
export interface TimeAdjust {
  kind: 'compress' | 'stretch';
  /** Most samples to remove or add. */
  maxSamples: number;
  /** Whether speech may be compressed, not only quiet frames (stretching is always allowed: it heads off an underrun). */
  speechAllowed: boolean;
}

/**
 * Everything the decision rests on at one playout step, as plain values: the
 * buffer's state and the schedule's verdicts on it (the controller works the
 * latter out from the delay manager). Nothing here calls back.
 */
export interface Situation {
  nowMs: number;
  playing: boolean;
  /** Playing: the frame due now. Idle: the earliest frame buffered. */
  due: BufferedFrame | undefined;
  /** Idle: the schedule's time for `due` has come, so a talkspurt may start there. */
  dueMayStart: boolean;
  /** Playing, with the due frame missing: the earliest frame after the hole. */
  following: BufferedFrame | undefined;
  /** `following` begins a new talkspurt rather than continuing the current one... */
  followingStartsTalkspurt: boolean;
  /** ...and the schedule's time for it has come. */
  followingMayStart: boolean;
  /** The sender's end-of-talkspurt marker lies within the audio already played or concealed. */
  endReached: boolean;
  /** Extended timestamp of the frame due now (playing). */
  dueTs: number;
  /** Samples concealed since the due frame became due. */
  gapConcealedSamples: number;
  /** Consecutive concealed samples (the fade's clock). */
  concealRunSamples: number;
  /** Decoded samples not yet played plus the span of buffered frames ahead of the playout point. */
  levelSamples: number;
  maxDelaySamples: number;
  /**
   * Where to jump to so about the target delay stays buffered: a timestamp at
   * or before the newest frame's start. Undefined when nothing is buffered
   * that far.
   */
  catchUpTs: number | undefined;
  /**
   * Playing: how much later (positive) or earlier than scheduled the due
   * frame (present or not) will play, the schedule being its media time plus
   * the delay manager's transit quantile. Free of jitter by construction,
   * unlike the buffer level.
   */
  delayErrorMs: number;
}

/**
 * Decides, at each playout step, between decoding, using a RED copy,
 * concealing, waiting for a late packet, giving a lost one up, compressing
 * or stretching time to keep the delay on target, fading out and restarting.
 * It holds only the smoothed delay error and how long an excess has lasted;
 * the playout does the work.
 */
export class DecisionLogic {
  private smoothedError: number | undefined;
  private excessSinceMs: number | undefined;

  decide(s: Situation): Operation {
    const op = this.choose(s);
    // A new talkspurt starts from a fresh measurement.
    if (op.kind === 'start' || op.kind === 'restart') this.reset();
    return op;
  }

  /** Time compression (negative) or stretching (positive) changed the delay: the smoothed error follows at once, so it is not overdone. */
  onTimeAdjusted(samples: number): void {
    if (this.smoothedError !== undefined) this.smoothedError += samples / SAMPLES_PER_MS;
  }

  reset(): void {
    this.smoothedError = undefined;
    this.excessSinceMs = undefined;
  }

  private choose(s: Situation): Operation {
    if (!s.playing) return this.decideIdle(s);
    if (s.due) return this.decideDue(s, s.due);
    if (s.endReached) return { kind: 'end' };
    const following = s.following;
    if (following) {
      if (s.followingStartsTalkspurt) {
        // The previous talkspurt's end was lost; keep concealing (fading) until the new one is due.
        if (s.followingMayStart) return { kind: 'restart', frame: following };
      } else if (following.ts - s.dueTs <= s.gapConcealedSamples && s.delayErrorMs >= 0) {
        // Concealment has filled the hole up to the next frame we hold, and the missing one's
        // time under the target has passed: it is lost. (Before that time, waiting for it is
        // how the delay grows to a target that has just risen.)
        return { kind: 'skipTo', frame: following };
      }
    }
    if (s.concealRunSamples >= PLAYOUT_POLICY.concealSilentMs * SAMPLES_PER_MS) return { kind: 'fadedOut' };
    // Waiting rather than skipping ahead: if the frame is only late, playing it keeps the audio whole and the delay grows to suit the network.
    return { kind: 'conceal' };
  }

  private decideIdle(s: Situation): Operation {
    const first = s.due;
    if (!first || !s.dueMayStart) return { kind: 'silence' };
    return { kind: 'start', fromTs: farBehind(s) && s.catchUpTs !== undefined ? s.catchUpTs : first.ts };
  }

  private decideDue(s: Situation, due: BufferedFrame): Operation {
    if (farBehind(s) && s.catchUpTs !== undefined && s.catchUpTs > due.ts) return { kind: 'catchUp', fromTs: s.catchUpTs };
    const smoothed = this.smooth(s.delayErrorMs, due.samples);
    // Act only when the latest measurement and the smoothed one agree: one unevenly timed tick
    // moves the first, and a change the schedule has already caught up with lingers in the second.
    if (smoothed < PLAYOUT_POLICY.stretchBelowMs && s.delayErrorMs < PLAYOUT_POLICY.stretchBelowMs) {
      this.excessSinceMs = undefined;
      const maxSamples = (PLAYOUT_POLICY.settleAtMs - Math.max(smoothed, s.delayErrorMs)) * SAMPLES_PER_MS;
      return { kind: 'decode', frame: due, adjust: { kind: 'stretch', maxSamples, speechAllowed: true } };
    }
    if (smoothed <= PLAYOUT_POLICY.compressAboveMs || s.delayErrorMs <= PLAYOUT_POLICY.compressAboveMs) {
      this.excessSinceMs = undefined;
      return { kind: 'decode', frame: due, adjust: undefined };
    }
    // Shedding delay is never urgent: wait to be sure the excess is real, then prefer pauses to words.
    this.excessSinceMs ??= s.nowMs;
    const lasted = s.nowMs - this.excessSinceMs;
    if (lasted < PLAYOUT_POLICY.quietPatienceMs) return { kind: 'decode', frame: due, adjust: undefined };
    const maxSamples = (Math.min(smoothed, s.delayErrorMs) - PLAYOUT_POLICY.settleAtMs) * SAMPLES_PER_MS;
    return { kind: 'decode', frame: due, adjust: { kind: 'compress', maxSamples, speechAllowed: lasted >= PLAYOUT_POLICY.speechPatienceMs } };
  }

  private smooth(error: number, stepSamples: number): number {
    if (this.smoothedError === undefined) {
      this.smoothedError = error;
    } else {
      const alpha = 1 - Math.exp(-stepSamples / (PLAYOUT_POLICY.errorSmoothingMs * SAMPLES_PER_MS));
      this.smoothedError += alpha * (error - this.smoothedError);
    }
    return this.smoothedError;
  }
}

/** Buffered audio beyond the maximum delay by more than the margin: a long stall or a flood to skip past. */
function farBehind(s: Situation): boolean {
  return s.levelSamples > s.maxDelaySamples + PLAYOUT_POLICY.catchUpMarginMs * SAMPLES_PER_MS;
}
