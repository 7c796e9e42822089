import { BLOCK_MS } from '../audio-format.js';
import { NoiseFloorTracker } from './noise-floor.js';
import { VOICE_LIKELY } from './processing/capture-stage.js';

/** Keeps the gate open after the last loud block so word endings and short pauses are not cut. */
export const HANGOVER_MS = 350;
/** Consecutive loud blocks needed to open: one click or pop is not speech. */
export const ATTACK_BLOCKS = 2;
/** Speech must rise this far above the noise floor to open the gate… */
export const ONSET_MARGIN_DB = 10;
/** …and this far to hold it open (hysteresis, so the gate does not chatter at the edge). */
export const HOLD_MARGIN_DB = 6;
/** Without a user threshold, nothing quieter than this opens the gate however quiet the room. */
export const MINIMUM_SPEECH_DB = -55;
/** With a user threshold, the hold level sits this far below it. */
export const THRESHOLD_HYSTERESIS_DB = 4;
export const VAD_THRESHOLD_RANGE_DB = { min: -90, max: 0 } as const;

export const HANGOVER_BLOCKS = Math.round(HANGOVER_MS / BLOCK_MS);

export function checkVadThreshold(thresholdDb: number | undefined): void {
  if (thresholdDb === undefined) return;
  if (!(thresholdDb >= VAD_THRESHOLD_RANGE_DB.min && thresholdDb <= VAD_THRESHOLD_RANGE_DB.max)) {
    throw new RangeError(`voice threshold ${thresholdDb} dBFS must lie in [${VAD_THRESHOLD_RANGE_DB.min}, ${VAD_THRESHOLD_RANGE_DB.max}]`);
  }
}

/**
 * Energy voice-activity detection against an adaptive noise floor. A block
 * counts as speech when its RMS clears the floor by a margin and, if the user
 * set one, their threshold in dBFS (like an "amplitude" mode). The stricter
 * of the two wins, so a threshold set too low still does not transmit a
 * steady fan. Opening needs a short run of loud blocks (attack), which the
 * noise suppressor's model must also judge to be voice when it runs; closing
 * waits out the hangover.
 */
export class VoiceDetector {
  active = false;
  private readonly floor = new NoiseFloorTracker();
  private loudRun = 0;
  private hangoverLeft = 0;
  private userThresholdDb: number | undefined;

  constructor(thresholdDb?: number) {
    this.thresholdDb = thresholdDb;
  }

  get thresholdDb(): number | undefined {
    return this.userThresholdDb;
  }

  set thresholdDb(value: number | undefined) {
    checkVadThreshold(value);
    this.userThresholdDb = value;
  }

  get noiseFloorDb(): number {
    return this.floor.floorDb;
  }

  /** No speech from now on, without waiting out the hangover (the source ended); the noise floor is kept. */
  silence(): void {
    this.active = false;
    this.loudRun = 0;
    this.hangoverLeft = 0;
  }

  /**
   * Judges one 10 ms block by its RMS level and, when a noise suppressor
   * runs, its model's voice probability; returns whether speech is active.
   * A block the model finds unlike voice cannot help open the gate, however
   * loud: a fan or a keyboard that passes the energy test is not sent.
   */
  update(rmsDb: number, voiceProbability?: number): boolean {
    const floorDb = this.floor.update(10 ** (rmsDb / 10));
    const user = this.userThresholdDb;
    const onsetDb = Math.max(floorDb + ONSET_MARGIN_DB, user ?? MINIMUM_SPEECH_DB);
    const holdDb = Math.max(floorDb + HOLD_MARGIN_DB, (user ?? MINIMUM_SPEECH_DB) - THRESHOLD_HYSTERESIS_DB);
    if (this.active) {
      if (rmsDb >= holdDb) this.hangoverLeft = HANGOVER_BLOCKS;
      else if (this.hangoverLeft > 0) this.hangoverLeft--;
      else this.active = false;
      return this.active;
    }
    const voiceLike = voiceProbability === undefined || voiceProbability >= VOICE_LIKELY;
    this.loudRun = rmsDb >= onsetDb && voiceLike ? this.loudRun + 1 : 0;
    if (this.loudRun >= ATTACK_BLOCKS) {
      this.active = true;
      this.loudRun = 0;
      this.hangoverLeft = HANGOVER_BLOCKS;
    }
    return this.active;
  }
}
