/** Where a counter stands against a window: never seen, seen, or older than the window remembers. */
export type Receipt = 'new' | 'duplicate' | 'tooOld';

/**
 * A sliding window over 53-bit counters (RFC 4303 §3.4.3 style): which of
 * the last `size` counters below the highest have been seen, in fixed memory.
 * As an anti-replay window a counter is accepted once, and only if it is
 * newer than `size` behind the highest accepted: check before the expensive
 * work, commit only after the packet authenticated, so forgeries cannot
 * advance the window. The receive path uses the same window to tell a
 * duplicate from a late first copy.
 */
export class ReplayWindow {
  private highest = -1;
  private readonly seen: Uint8Array;

  constructor(readonly size = 128) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size ${size} must be a positive integer`);
    this.seen = new Uint8Array(size);
  }

  /** Where `counter` (a non-negative integer) stands, without recording it. */
  classify(counter: number): Receipt {
    if (counter > this.highest) return 'new';
    if (counter <= this.highest - this.size) return 'tooOld';
    return this.seen[counter % this.size] === 0 ? 'new' : 'duplicate';
  }

  /** True if `counter` has not been accepted and is not too old. */
  check(counter: number): boolean {
    return this.classify(counter) === 'new';
  }

  commit(counter: number): void {
    if (counter > this.highest) {
      // Forget the slots the window slides past.
      const advance = Math.min(counter - this.highest, this.size);
      for (let i = 1; i <= advance; i++) this.seen[(this.highest + i) % this.size] = 0;
      this.highest = counter;
    }
    this.seen[counter % this.size] = 1;
  }

  get highestAccepted(): number {
    return this.highest;
  }
}
