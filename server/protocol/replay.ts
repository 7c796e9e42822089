/**
 * A sliding anti-replay window over 53-bit counters (RFC 4303 §3.4.3 style):
 * a counter is accepted once, and only if it is newer than `size` behind the
 * highest accepted. Check before the expensive work, commit only after the
 * packet authenticated, so forgeries cannot advance the window.
 */
export class ReplayWindow {
  private highest = -1;
  private readonly seen: Uint8Array;

  constructor(private readonly size = 128) {
    this.seen = new Uint8Array(size);
  }

  /** True if `counter` has not been accepted and is not too old. */
  check(counter: number): boolean {
    if (counter > this.highest) return true;
    if (counter <= this.highest - this.size) return false;
    return this.seen[counter % this.size] === 0;
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
