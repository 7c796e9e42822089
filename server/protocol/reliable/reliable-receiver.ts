import { SELECTIVE_BITS, type Ack } from './ack.js';

export interface ReliableReceiverOptions {
  /** How far past the next expected message an arrival may be and still be held (the sender's window). */
  window: number;
}

/** A message released in order; `afterGap` when one or more given-up messages came just before it. */
export interface Delivered<T> {
  payload: T;
  afterGap: boolean;
}

/** What one arrival did: the messages it released, in order, and whether it was a copy of one already had. */
export interface Arrival<T> {
  delivered: Delivered<T>[];
  duplicate: boolean;
}

/**
 * The receiving half of a reliable, ordered channel over datagrams. Messages
 * carry a sequence number (from 1) and the sender's floor: the lowest number
 * it still holds, so below it nothing more will ever come. Arrivals are
 * released strictly in order; one that arrives early waits for the gap before
 * it, unless the floor says the gap was given up, in which case the wait ends
 * and the gap is counted as skipped. A copy of anything already received is
 * dropped (but the caller should still acknowledge, since the copy means the
 * last ack was lost).
 */
export class ReliableReceiver<T> {
  /** The highest number up to which everything was delivered or skipped. */
  private delivered = 0;
  private readonly early = new Map<number, T>();
  /** A skip happened since the last release, so the next release follows a gap. */
  private gap = false;
  duplicates = 0;
  skipped = 0;
  outOfWindow = 0;

  constructor(private readonly options: ReliableReceiverOptions) {}

  receive(seq: number, floor: number, payload: T): Arrival<T> {
    const released: Delivered<T>[] = [];
    this.skipBelow(floor, released);
    if (seq <= this.delivered || this.early.has(seq)) {
      this.duplicates++;
      this.releaseInOrder(released);
      return { delivered: released, duplicate: true };
    }
    if (seq > this.delivered + this.options.window) {
      // Beyond what a sender keeping to its window can send: a broken or hostile peer. Holding it would let one
      // peer grow this map without bound.
      this.outOfWindow++;
      this.releaseInOrder(released);
      return { delivered: released, duplicate: false };
    }
    this.early.set(seq, payload);
    this.releaseInOrder(released);
    return { delivered: released, duplicate: false };
  }

  ack(): Ack {
    let selective = 0;
    for (let bit = 0; bit < SELECTIVE_BITS; bit++) {
      if (this.early.has(this.delivered + 2 + bit)) selective |= 1 << bit;
    }
    return { cumulative: this.delivered, selective: selective >>> 0 };
  }

  /** Everything below the sender's floor is final: release what is held there, in order, and count the gaps. */
  private skipBelow(floor: number, released: Delivered<T>[]): void {
    if (floor - 1 <= this.delivered) return;
    // Never further than the window: a floor beyond it is not one a sender keeping to its window can state.
    const to = Math.min(floor - 1, this.delivered + this.options.window);
    for (let seq = this.delivered + 1; seq <= to; seq++) {
      if (this.early.has(seq)) {
        this.release(seq, released);
      } else {
        this.skipped++;
        this.gap = true;
      }
    }
    this.delivered = to;
  }

  private releaseInOrder(released: Delivered<T>[]): void {
    for (;;) {
      const next = this.delivered + 1;
      if (!this.early.has(next)) return;
      this.release(next, released);
      this.delivered = next;
    }
  }

  private release(seq: number, released: Delivered<T>[]): void {
    released.push({ payload: this.early.get(seq) as T, afterGap: this.gap });
    this.gap = false;
    this.early.delete(seq);
  }
}
