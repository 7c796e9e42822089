/**
 * The minimum of the last `length` values pushed, in O(1) amortised time and
 * without allocating: a monotonic queue (values increase from front to back)
 * kept in preallocated rings.
 */
export class SlidingMinimum {
  private readonly values: Float64Array;
  private readonly positions: Float64Array;
  private head = 0;
  private size = 0;
  private pushed = 0;

  constructor(readonly length: number) {
    if (!Number.isInteger(length) || length < 1) throw new RangeError(`window length ${length} must be a positive integer`);
    this.values = new Float64Array(length);
    this.positions = new Float64Array(length);
  }

  /** Adds a value and returns the minimum of the window that now ends with it. */
  push(value: number): number {
    const capacity = this.length;
    const position = this.pushed++;
    // Evict first, so the rings never hold more than `length` entries.
    if (this.size > 0 && this.positions[this.head]! <= position - capacity) {
      this.head = this.head + 1 === capacity ? 0 : this.head + 1;
      this.size--;
    }
    // Values at the back that are not smaller than the newcomer can never be the minimum again.
    while (this.size > 0 && this.values[wrap(this.head + this.size - 1, capacity)]! >= value) this.size--;
    const tail = wrap(this.head + this.size, capacity);
    this.values[tail] = value;
    this.positions[tail] = position;
    this.size++;
    return this.values[this.head]!;
  }

  reset(): void {
    this.head = 0;
    this.size = 0;
    this.pushed = 0;
  }
}

/** Index into a ring for 0 ≤ index < 2·capacity, without the cost of `%`. */
function wrap(index: number, capacity: number): number {
  return index >= capacity ? index - capacity : index;
}
