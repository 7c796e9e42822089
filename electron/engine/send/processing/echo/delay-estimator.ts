import { BLOCK_MS } from '../../../audio-format.js';

/** Echo paths Parley looks for: up to 500 ms, in 10 ms blocks. */
const MAX_LAG_BLOCKS = 50;
/** Blocks of history each estimate correlates (2 s). */
const SPAN_BLOCKS = 200;
/** Blocks between estimates (0.5 s): the path moves only when a device changes. */
const EVERY_BLOCKS = 50;
/** A peak below this correlation is not taken for an echo. */
const MIN_CORRELATION = 0.5;

/**
 * The echo path delay from block envelopes: the lag, at 10 ms resolution,
 * at which the far end's block levels best match the microphone's. WebRTC's
 * canceller finds its own delay inside and does not report it; this is the
 * figure the stats show, not an input to the canceller. Holds the last
 * estimate through pauses.
 */
export class DelayEstimator {
  private readonly far = new Float64Array(SPAN_BLOCKS + MAX_LAG_BLOCKS);
  private readonly near = new Float64Array(SPAN_BLOCKS + MAX_LAG_BLOCKS);
  private blocks = 0;
  private estimate: number | undefined;

  /** RMS levels (linear) of one block: the far end handed to the canceller with it, and the capture. */
  add(farRms: number, captureRms: number): void {
    const at = this.blocks % this.far.length;
    this.far[at] = farRms;
    this.near[at] = captureRms;
    this.blocks++;
    if (this.blocks >= this.far.length && this.blocks % EVERY_BLOCKS === 0) this.estimateNow();
  }

  get delayMs(): number | undefined {
    return this.estimate === undefined ? undefined : this.estimate * BLOCK_MS;
  }

  private estimateNow(): void {
    let best = MIN_CORRELATION;
    let bestLag: number | undefined;
    for (let lag = 0; lag <= MAX_LAG_BLOCKS; lag++) {
      const correlation = this.correlationAt(lag);
      if (correlation > best) {
        best = correlation;
        bestLag = lag;
      }
    }
    if (bestLag !== undefined) this.estimate = bestLag;
  }

  /** Pearson correlation of the last SPAN_BLOCKS capture levels with the far-end levels `lag` blocks before them. */
  private correlationAt(lag: number): number {
    const size = this.far.length;
    let sumF = 0;
    let sumN = 0;
    let sumFF = 0;
    let sumNN = 0;
    let sumFN = 0;
    for (let i = 0; i < SPAN_BLOCKS; i++) {
      const t = this.blocks - 1 - i;
      const n = this.near[t % size]!;
      const f = this.far[(t - lag) % size]!;
      sumF += f;
      sumN += n;
      sumFF += f * f;
      sumNN += n * n;
      sumFN += f * n;
    }
    const covariance = sumFN - (sumF * sumN) / SPAN_BLOCKS;
    const spread = Math.sqrt((sumFF - (sumF * sumF) / SPAN_BLOCKS) * (sumNN - (sumN * sumN) / SPAN_BLOCKS));
    return spread > 0 ? covariance / spread : 0;
  }
}
