/**
 * What a reliable receiver tells its sender: every sequence number up to
 * `cumulative` has arrived (or was skipped because the sender gave it up), and
 * bit i of `selective` says that `cumulative + 2 + i` has arrived too
 * (`cumulative + 1` is by definition the first one missing). One ack covers a
 * window of 33 messages in 8 bytes, so a lost ack costs nothing that the next
 * one does not repair.
 */
export interface Ack {
  cumulative: number;
  selective: number;
}

/** How many arrivals past the first gap one ack can name. */
export const SELECTIVE_BITS = 32;

/** The sequence numbers above `cumulative` that `ack` says have arrived. */
export function selectivelyAcknowledged(ack: Ack): number[] {
  const seen: number[] = [];
  for (let bit = 0; bit < SELECTIVE_BITS; bit++) {
    if ((ack.selective >>> bit) & 1) seen.push(ack.cumulative + 2 + bit);
  }
  return seen;
}
