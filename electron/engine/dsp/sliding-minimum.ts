import { TimedDeque } from './timed-deque.js';

/**
 * The minimum of the values pushed within the last `maxAge` (in whatever unit
 * the caller's positions count: milliseconds for the delay manager, samples
 * for the peak limiter), in O(1) amortised time and fixed memory: a monotonic
 * queue, values increasing from front to back. Positions must not decrease.
 * Full, it forgets its oldest candidate first.
 */
export class SlidingMinimum {
  private readonly deque: TimedDeque;

  constructor(
    private readonly maxAge: number,
    capacity: number,
  ) {
    if (!(maxAge >= 0)) throw new RangeError(`window age ${maxAge} must not be negative`);
    this.deque = new TimedDeque(capacity);
  }

  /** Adds `value` at `position`; returns the minimum of the window that now ends there. */
  push(position: number, value: number): number {
    const deque = this.deque;
    while (deque.size > 0 && position - deque.frontTime() > this.maxAge) deque.popFront();
    // Entries not smaller than the newcomer can never be the minimum again.
    while (deque.size > 0 && deque.backValue() >= value) deque.popBack();
    deque.pushBack(position, value);
    return deque.frontValue();
  }

  /** The minimum over the window ending at the last push, or undefined before any. */
  get min(): number | undefined {
    return this.deque.size === 0 ? undefined : this.deque.frontValue();
  }

  reset(): void {
    this.deque.clear();
  }
}
