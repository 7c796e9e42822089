/**
 * Extends RTP's wrapping counters onto an unbounded number line, each value
 * placed nearest a reference (the highest seen so far). Unlike an estimate
 * that assumes the first packet is the oldest, this also places a packet that
 * arrives just before the first one correctly (negative is fine).
 */

/** Extends a 16-bit sequence number; `reference` is undefined before the first packet. */
export function unwrapSequence(reference: number | undefined, sequence: number): number {
  if (reference === undefined) return sequence;
  const delta = ((sequence - reference) << 16) >> 16;
  return reference + delta;
}

/** Extends a 32-bit RTP timestamp; `reference` is undefined before the first packet. */
export function unwrapTimestamp(reference: number | undefined, timestamp: number): number {
  if (reference === undefined) return timestamp;
  // `| 0` reduces the difference modulo 2^32 into the signed range: the nearer of the two directions.
  return reference + ((timestamp - reference) | 0);
}
