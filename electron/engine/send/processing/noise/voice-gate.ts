import { dbToGain } from '../../../dsp/decibels.js';

/** RNNoise's voice probability at or above which a block counts as voice: speech blocks sit near 1, white noise rarely passes 0.7. */
export const GATE_OPEN_PROBABILITY = 0.9;
/** How long the gate stays open after the last voiced block: word gaps and soft endings. */
export const GATE_HOLD_BLOCKS = 30;
/** How far the gate closes, in dB. */
export const GATE_FLOOR_DB = -30;
/** How fast it closes after the hold, in dB per block: 30 blocks (300 ms) from open to the floor. */
export const GATE_RELEASE_DB_PER_BLOCK = 1;

/**
 * A gate on RNNoise's own voice probability. RNNoise's original model
 * lowers steady broadband noise only slowly and unevenly (one white-noise
 * seed at −30 dBFS: 6 dB after 8 s, another 40 dB), yet its voice
 * probability tells that noise from speech well; so between words the gate
 * takes what RNNoise left down to the floor. It opens at once on voice; RNNoise
 * judges voice over a 20 ms window that ends one block after the block it
 * puts out, so the gate opens on time for an onset rather than a block late.
 */
export class VoiceGate {
  private gainDb = 0;
  private blocksSinceVoice = Number.POSITIVE_INFINITY;

  /** The gain (linear) for the block whose voice probability this is. */
  next(voiceProbability: number): number {
    this.blocksSinceVoice = voiceProbability >= GATE_OPEN_PROBABILITY ? 0 : this.blocksSinceVoice + 1;
    const targetDb = this.blocksSinceVoice <= GATE_HOLD_BLOCKS ? 0 : GATE_FLOOR_DB;
    this.gainDb = targetDb >= this.gainDb ? targetDb : Math.max(targetDb, this.gainDb - GATE_RELEASE_DB_PER_BLOCK);
    return dbToGain(this.gainDb);
  }

  /** As at the start: open, closing over the release unless voice comes. */
  reset(): void {
    this.gainDb = 0;
    this.blocksSinceVoice = Number.POSITIVE_INFINITY;
  }
}
