import { powerToDb, SILENCE_DB } from '../../../dsp/decibels.js';

/** Far-end blocks below this (mean square, about −60 dBFS RMS) hold no speech to echo. */
const FAR_END_ACTIVE_POWER = 1e-6;
/** One second of far-end speech, in 10 ms blocks. */
const WINDOW_BLOCKS = 100;

/**
 * Echo return loss enhancement as the canceller sees it: capture power in
 * over capture power out, summed over the last second of blocks whose far
 * end was speaking. Near-end speech in those blocks (double talk) pulls the
 * figure down, as it should for an estimate of what the far end hears back.
 */
export class ErleMeter {
  private readonly inputPower = new Float64Array(WINDOW_BLOCKS);
  private readonly outputPower = new Float64Array(WINDOW_BLOCKS);
  private next = 0;
  private filled = 0;

  /** Mean squares of one block: the far end handed with it, the capture before and after cancelling. */
  add(farPower: number, inputPower: number, outputPower: number): void {
    if (farPower < FAR_END_ACTIVE_POWER) return;
    this.inputPower[this.next] = inputPower;
    this.outputPower[this.next] = outputPower;
    this.next = (this.next + 1) % WINDOW_BLOCKS;
    this.filled = Math.min(this.filled + 1, WINDOW_BLOCKS);
  }

  get erleDb(): number | undefined {
    if (this.filled === 0) return undefined;
    let input = 0;
    let output = 0;
    for (let i = 0; i < this.filled; i++) {
      input += this.inputPower[i]!;
      output += this.outputPower[i]!;
    }
    // Both silent (a far end heard by no microphone) is no enhancement.
    const inDb = powerToDb(input / this.filled);
    const outDb = powerToDb(output / this.filled);
    return inDb === SILENCE_DB ? 0 : inDb - outDb;
  }
}

