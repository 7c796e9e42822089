import type { RelayStats } from '../counters.js';

/** One worker's share of the relay's work, counted since it started. */
export interface WorkerStat {
  worker: number;
  /** This worker's thread's own CPU time. */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Datagrams its socket received. */
  packetsIn: number;
  /** Of those, media. */
  mediaIn: number;
  mediaForwarded: number;
}

export function workerStat(worker: number, stats: RelayStats, cpu: { user: number; system: number }): WorkerStat {
  return { worker, cpuUserUs: cpu.user, cpuSystemUs: cpu.system, packetsIn: stats.packetsIn, mediaIn: stats.mediaIn, mediaForwarded: stats.mediaForwarded };
}
