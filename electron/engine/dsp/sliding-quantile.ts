import { TimedDeque } from './timed-deque.js';

/**
 * Quantiles of the values added within the last `windowMs`, exact: the
 * window's values are also kept sorted (insertion and removal by binary
 * search, O(n) moves with n bounded by `capacity`).
 */
export class SlidingQuantile {
  private readonly arrivals: TimedDeque;
  private readonly sorted: Float64Array;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    capacity: number,
  ) {
    this.arrivals = new TimedDeque(capacity);
    this.sorted = new Float64Array(capacity);
  }

  add(timeMs: number, value: number): void {
    const forgotten = this.arrivals.pushBack(timeMs, value);
    if (forgotten !== undefined) this.removeSorted(forgotten);
    const at = this.lowerBound(value);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = value;
    this.count++;
    while (this.arrivals.size > 1 && timeMs - this.arrivals.frontTime() > this.windowMs) this.removeSorted(this.arrivals.popFront());
  }

  reset(): void {
    this.arrivals.clear();
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** The smallest value with at least a `q` share of the window at or below it; undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    return this.sorted[Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1))];
  }

  private removeSorted(value: number): void {
    const at = this.lowerBound(value);
    this.sorted.copyWithin(at, at + 1, this.count);
    this.count--;
  }

  private lowerBound(value: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sorted[mid]! < value) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
