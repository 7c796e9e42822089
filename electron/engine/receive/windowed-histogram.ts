import { TimedDeque } from './timed-deque.js';

/**
 * Counts of non-negative values in 1-unit bins over a sliding time window,
 * answering quantiles in O(bins). Memory is fixed: at most `capacity` samples
 * are remembered, the oldest forgotten first.
 */
export class WindowedHistogram {
  private readonly counts: Uint32Array;
  private readonly samples: TimedDeque;

  constructor(
    /** Values at or above this land in the last bin. */
    maxValue: number,
    private readonly windowMs: number,
    capacity = 4096,
  ) {
    this.counts = new Uint32Array(Math.ceil(maxValue) + 1);
    this.samples = new TimedDeque(capacity);
  }

  add(timeMs: number, value: number): void {
    // Rounded up: a quantile read from the bins never understates the value.
    const bin = Math.min(this.counts.length - 1, Math.max(0, Math.ceil(value)));
    const forgotten = this.samples.pushBack(timeMs, bin);
    if (forgotten !== undefined) this.counts[forgotten]!--;
    this.counts[bin]!++;
    while (this.samples.size > 1 && timeMs - this.samples.frontTime() > this.windowMs) this.counts[this.samples.popFront()]!--;
  }

  get count(): number {
    return this.samples.size;
  }

  /** The smallest bin value at or below which a `q` share of the samples lie; 0 when empty. */
  quantile(q: number): number {
    const size = this.samples.size;
    if (size === 0) return 0;
    const wanted = Math.max(1, Math.ceil(q * size));
    let seen = 0;
    for (let bin = 0; bin < this.counts.length; bin++) {
      seen += this.counts[bin]!;
      if (seen >= wanted) return bin;
    }
    return this.counts.length - 1;
  }
}
