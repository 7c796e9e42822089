import type { WorkerWindow } from './case-spec.js';

/**
 * One worker's counters as `RelayHandle.workerStats()` reports them,
 * cumulative since the relay started; its CPU is the thread's own
 * `process.threadCpuUsage()`. Declared here so the benchmark runs against
 * relays from before workers, which have no such method.
 */
export interface WorkerStat {
  worker: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  packetsIn: number;
  mediaForwarded: number;
}

/** A read of every worker's counters, with when it was taken. */
export interface WorkerSnapshot {
  atNs: bigint;
  stats: WorkerStat[];
}

/** The relay's `workerStats()`, if it has one. */
export function workerStatsReader(handle: object): (() => Promise<WorkerStat[]>) | undefined {
  if (!('workerStats' in handle) || typeof handle.workerStats !== 'function') return undefined;
  const read = handle.workerStats as () => Promise<WorkerStat[]>;
  return () => read.call(handle);
}

/** How many workers the relay says run, if it says. */
export function reportedWorkers(handle: object): number | undefined {
  return 'workers' in handle && typeof handle.workers === 'number' ? handle.workers : undefined;
}

export async function snapshotWorkers(read: () => Promise<WorkerStat[]>): Promise<WorkerSnapshot> {
  const stats = await read();
  return { atNs: process.hrtime.bigint(), stats };
}

/** Each worker's CPU share and counts between two snapshots; a worker missing from the first counts from zero. */
export function workerWindows(first: WorkerSnapshot, last: WorkerSnapshot): WorkerWindow[] {
  const wallUs = Number(last.atNs - first.atNs) / 1000;
  return last.stats
    .map((end) => {
      const start = first.stats.find((stat) => stat.worker === end.worker);
      const cpuUs = end.cpuUserUs + end.cpuSystemUs - (start ? start.cpuUserUs + start.cpuSystemUs : 0);
      return {
        worker: end.worker,
        cpuPct: wallUs > 0 ? Number(((cpuUs / wallUs) * 100).toFixed(1)) : 0,
        packetsIn: end.packetsIn - (start?.packetsIn ?? 0),
        mediaForwarded: end.mediaForwarded - (start?.mediaForwarded ?? 0),
      };
    })
    .sort((a, b) => a.worker - b.worker);
}
