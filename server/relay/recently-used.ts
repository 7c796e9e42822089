/**
 * A table keyed by source address (or anything else an attacker can mint
 * more of) that cannot grow without bound: it holds at most `capacity` entries,
 * forgetting the least recently used first, and `forgetUnusedSince` drops
 * the ones idle since a cutoff. A Map keeps insertion order, so moving an
 * entry to the end on each use keeps the oldest first: both cost O(1) per
 * entry touched or forgotten.
 */
export class RecentlyUsed<K, V> {
  private readonly entries = new Map<K, { value: V; usedAt: number }>();

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, not ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key`, created by `create` if absent, and marked as used now. */
  use(key: K, now: number, create: () => V): V {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      entry.usedAt = now;
      this.entries.set(key, entry);
      return entry.value;
    }
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    const value = create();
    this.entries.set(key, { value, usedAt: now });
    return value;
  }

  /** Looks without marking as used. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  forgetUnusedSince(cutoff: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.usedAt >= cutoff) return;
      this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
