/**
 * A fixed-capacity double-ended queue of (time, value) pairs in preallocated
 * rings: the memory of the sliding windows. Full, it forgets its oldest.
 * Allocates nothing after construction, so it may run once per sample.
 */
export class TimedDeque {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity ${capacity} must be a positive integer`);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends at the back; returns the value forgotten at the front to make room, if any. */
  pushBack(time: number, value: number): number | undefined {
    const forgotten = this.count === this.capacity ? this.popFront() : undefined;
    const at = this.index(this.count);
    this.times[at] = time;
    this.values[at] = value;
    this.count++;
    return forgotten;
  }

  popFront(): number {
    const value = this.values[this.head]!;
    this.head = this.index(1);
    this.count--;
    return value;
  }

  popBack(): void {
    this.count--;
  }

  frontTime(): number {
    return this.times[this.head]!;
  }

  frontValue(): number {
    return this.values[this.head]!;
  }

  backValue(): number {
    return this.values[this.index(this.count - 1)]!;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** Ring slot `offset` places after the head, for 0 ≤ offset ≤ capacity, without the cost of `%`. */
  private index(offset: number): number {
    const at = this.head + offset;
    return at >= this.capacity ? at - this.capacity : at;
  }
}
