import { BLOCK_MS } from '../audio-format.js';
import { powerToDb } from '../dsp/decibels.js';

/** Long enough to span the pauses of running speech, short enough to follow a fan switching on. */
export const NOISE_WINDOW_MS = 2_000;
/** The window is this many sub-windows: the one filling now and the ones before it. */
const SUB_WINDOWS = 8;
/** Smoothing of the block power before taking minima, so one quiet block does not drag the floor down. */
const POWER_SMOOTHING = 0.3;

/**
 * Background noise level by minimum statistics: the lowest smoothed block
 * power over the last ~2 s. Speech always has gaps between syllables and
 * words, so the minimum sits on the noise even while someone talks, and it
 * needs no voice decision of its own (no feedback loop that locks up).
 * Kept as minima of eight 250 ms sub-windows (so the window spans 1.75 to
 * 2 s as the newest fills): constant work and memory per block.
 */
export class NoiseFloorTracker {
  private readonly blocksPerSubWindow = Math.round(NOISE_WINDOW_MS / BLOCK_MS / SUB_WINDOWS);
  private readonly subWindowMinima = new Float64Array(SUB_WINDOWS - 1).fill(Infinity);
  private next = 0;
  private currentMinimum = Infinity;
  private blocksInCurrent = 0;
  private smoothed = -1;
  private floorPower = Infinity;

  /** Takes one block's mean-square power and returns the floor in dBFS. */
  update(power: number): number {
    this.smoothed = this.smoothed < 0 ? power : this.smoothed + (power - this.smoothed) * POWER_SMOOTHING;
    if (this.smoothed < this.currentMinimum) this.currentMinimum = this.smoothed;
    if (++this.blocksInCurrent === this.blocksPerSubWindow) {
      this.subWindowMinima[this.next] = this.currentMinimum;
      this.next = (this.next + 1) % this.subWindowMinima.length;
      this.currentMinimum = Infinity;
      this.blocksInCurrent = 0;
    }
    let floor = this.currentMinimum;
    for (let i = 0; i < this.subWindowMinima.length; i++) floor = Math.min(floor, this.subWindowMinima[i]!);
    this.floorPower = floor;
    return this.floorDb;
  }

  get floorDb(): number {
    return this.floorPower === Infinity ? powerToDb(0) : powerToDb(this.floorPower);
  }
}
