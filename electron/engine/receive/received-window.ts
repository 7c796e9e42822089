/** How far back (in packets) duplicates are still recognised. */
const WINDOW = 1024;

export type Receipt = 'new' | 'duplicate' | 'tooOld';

/**
 * Remembers which recent (extended) sequence numbers arrived, in fixed
 * memory, so a repeated packet is told apart from a late first copy.
 */
export class ReceivedWindow {
  private readonly seen = new Uint8Array(WINDOW);
  private highest: number | undefined;

  record(index: number): Receipt {
    if (this.highest === undefined || index > this.highest) {
      const start = this.highest === undefined ? index : this.highest + 1;
      if (index - start >= WINDOW) this.seen.fill(0);
      else for (let i = start; i < index; i++) this.seen[slot(i)] = 0;
      this.seen[slot(index)] = 1;
      this.highest = index;
      return 'new';
    }
    if (this.highest - index >= WINDOW) return 'tooOld';
    if (this.seen[slot(index)] === 1) return 'duplicate';
    this.seen[slot(index)] = 1;
    return 'new';
  }

  get highestIndex(): number | undefined {
    return this.highest;
  }
}

function slot(index: number): number {
  return ((index % WINDOW) + WINDOW) % WINDOW;
}
