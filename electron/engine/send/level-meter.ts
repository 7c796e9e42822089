import { BLOCK_MS } from '../audio-format.js';
import { amplitudeToDb, powerToDb, SILENCE_DB } from '../dsp/decibels.js';

export interface Level {
  rmsDb: number;
  peakDb: number;
}

/** The displayed RMS rises at once and falls with the sound-level-meter "Fast" time constant (IEC 61672). */
export const RMS_TIME_CONSTANT_MS = 125;
/** Peak fall-back rate: about an IEC 60268-10 type I programme meter (20 dB in 1.7 s). */
export const PEAK_FALL_DB_PER_SECOND = 12;

const RMS_SMOOTHING = 1 - Math.exp(-BLOCK_MS / RMS_TIME_CONSTANT_MS);
const PEAK_FALL_PER_BLOCK = (PEAK_FALL_DB_PER_SECOND * BLOCK_MS) / 1000;

/**
 * Per-block RMS and peak in dBFS. The raw block values feed the voice
 * detector; `level` adds meter ballistics (instant rise, smooth fall) so a
 * UI bar reads steadily instead of flickering at 100 Hz.
 */
export class LevelMeter {
  blockRmsDb = SILENCE_DB;
  blockPeakDb = SILENCE_DB;
  private smoothedPower = 0;
  private heldPeakDb = SILENCE_DB;

  measure(block: Float32Array): void {
    let squares = 0;
    let peak = 0;
    for (let i = 0; i < block.length; i++) {
      const x = block[i]!;
      squares += x * x;
      const magnitude = x < 0 ? -x : x;
      if (magnitude > peak) peak = magnitude;
    }
    const power = block.length > 0 ? squares / block.length : 0;
    this.blockRmsDb = powerToDb(power);
    this.blockPeakDb = amplitudeToDb(peak);
    this.smoothedPower = power > this.smoothedPower ? power : this.smoothedPower + (power - this.smoothedPower) * RMS_SMOOTHING;
    this.heldPeakDb = Math.max(this.blockPeakDb, this.heldPeakDb - PEAK_FALL_PER_BLOCK, SILENCE_DB);
  }

  get level(): Level {
    return { rmsDb: powerToDb(this.smoothedPower), peakDb: this.heldPeakDb };
  }

  /** Reads silence at once: the sound has stopped for good (its source ended), so no fall-back to watch. */
  silence(): void {
    this.blockRmsDb = this.blockPeakDb = this.heldPeakDb = SILENCE_DB;
    this.smoothedPower = 0;
  }
}
