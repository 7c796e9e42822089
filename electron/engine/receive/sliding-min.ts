import { TimedDeque } from './timed-deque.js';

/**
 * The minimum of the values added within the last `windowMs`, in O(1)
 * amortised time (a monotonic deque) and bounded memory.
 */
export class SlidingMin {
  private readonly deque: TimedDeque;

  constructor(
    private readonly windowMs: number,
    capacity = 4096,
  ) {
    this.deque = new TimedDeque(capacity);
  }

  add(timeMs: number, value: number): void {
    // Entries not smaller than the newcomer can never be the minimum again.
    while (this.deque.size > 0 && this.deque.backValue() >= value) this.deque.popBack();
    this.deque.pushBack(timeMs, value);
    while (this.deque.size > 1 && timeMs - this.deque.frontTime() > this.windowMs) this.deque.popFront();
  }

  /** The minimum over the window ending at the last add, or undefined when empty. */
  get min(): number | undefined {
    return this.deque.size === 0 ? undefined : this.deque.frontValue();
  }
}
