import type { PeerReceiveStats } from '../../electron/engine/receive/receive-stats.js';

/** A plausible receiver's stats for one peer, for tests of what is shown of them. */
export const receiveStats = (overrides: Partial<PeerReceiveStats> = {}): PeerReceiveStats => ({
  packetsReceived: 250,
  duplicates: 0,
  malformed: 0,
  late: 1,
  latePct: 0.44,
  lost: 3,
  lostPct: 1.26,
  recoveredByRed: 2,
  recoveredByRedPct: 0.8,
  discarded: 0,
  concealedPct: 1.2,
  timeCompressedMs: 0,
  timeStretchedMs: 0,
  jitterMs: 3.14,
  targetDelayMs: 41.3,
  bufferDelayMs: 38.6,
  talking: true,
  level: -18.26,
  bufferedFrames: 2,
  ...overrides,
});
