/**
 * A fixed-capacity double-ended queue of (time, value) pairs: the memory of
 * the sliding windows the delay manager keeps. Full, it forgets its oldest.
 */
export class TimedDeque {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends at the back; returns the value forgotten at the front to make room, if any. */
  pushBack(timeMs: number, value: number): number | undefined {
    const forgotten = this.count === this.capacity ? this.popFront() : undefined;
    const at = this.index(this.count);
    this.times[at] = timeMs;
    this.values[at] = value;
    this.count++;
    return forgotten;
  }

  popFront(): number {
    const value = this.values[this.head]!;
    this.head = (this.head + 1) % this.capacity;
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

  private index(offset: number): number {
    return (this.head + offset) % this.capacity;
  }
}
