import { powerToDb } from '../../../dsp/decibels.js';

/** Speech blocks the estimate averages over once warmed up: 2 s of speech, long enough that one word or one cough moves it little. */
export const SPEECH_MEMORY_BLOCKS = 200;

/**
 * The talker's speech level: the mean power of the blocks judged to be
 * speech (an active speech level, as ITU-T P.56 measures it, so pauses do
 * not pull it down). It starts as a plain running mean, so the first words
 * already give a fair estimate, and becomes an exponential average over the
 * last `memoryBlocks` speech blocks, so it follows a talker who moves
 * closer to or away from the microphone.
 */
export class SpeechLevelEstimator {
  private meanPower = 0;
  private counted = 0;

  constructor(private readonly memoryBlocks = SPEECH_MEMORY_BLOCKS) {
    if (!(Number.isInteger(memoryBlocks) && memoryBlocks >= 1)) throw new RangeError(`speech memory ${memoryBlocks} blocks must be a positive integer`);
  }

  /** One speech block's mean square (power, full scale 1). */
  add(power: number): void {
    if (!(power >= 0 && power < Number.POSITIVE_INFINITY)) throw new RangeError(`block power ${power} must be finite and not negative`);
    if (this.counted < this.memoryBlocks) this.counted++;
    this.meanPower += (power - this.meanPower) / this.counted;
  }

  /** The speech level in dBFS RMS; undefined until a speech block was added. */
  get levelDb(): number | undefined {
    return this.counted === 0 ? undefined : powerToDb(this.meanPower);
  }
}
