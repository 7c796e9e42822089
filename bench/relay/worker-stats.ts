import type { WorkerStat } from '../../server/index.js';
import type { WorkerWindow } from './case-spec.js';

/** A read of every worker's counters, with when it was taken. */
export interface WorkerSnapshot {
  atNs: bigint;
  stats: WorkerStat[];
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
