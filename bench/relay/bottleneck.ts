import type { RelayBenchResult } from './case-spec.js';
import type { CaseOutcome } from './run-case.js';

/**
 * Says which side, if any, ran out of room during a case: loss or latency
 * caused by a saturated load generator says nothing about the relay.
 * The thresholds are deliberately plain so a reader can check them.
 */
export function findBottlenecks(result: RelayBenchResult, diagnostics: CaseOutcome['diagnostics']): string[] {
  const found: string[] = [];
  // With several workers, one busy thread limits the members it serves, whatever the process's total.
  const busyWorkers = result.workers > 1 ? (result.perWorker ?? []).filter((worker) => worker.cpuPct >= 90) : [];
  if (diagnostics.kernelDropsAtRelay > 0) found.push(`relay: its socket overflowed (${diagnostics.kernelDropsAtRelay} datagrams dropped by the kernel)`);
  else if (busyWorkers.length > 0) found.push(`relay: ${busyWorkers.map((worker) => `worker ${worker.worker} busy ${worker.cpuPct}%`).join(', ')}`);
  else if (result.workers === 1 && result.relayCpuPct + diagnostics.relayCoreSoftirqPct + diagnostics.relayRunQueueWaitPct >= 90) {
    found.push(`relay: busy ${result.relayCpuPct}% + its core's softirq ${diagnostics.relayCoreSoftirqPct}% + waiting for its core ${diagnostics.relayRunQueueWaitPct}%`);
  }
  if (diagnostics.kernelDropsAtMembers > 0) {
    found.push(`load generator: members' sockets overflowed (${diagnostics.kernelDropsAtMembers} datagrams dropped by the kernel)`);
  } else if (diagnostics.generatorLoopBusyPct >= 90) {
    found.push(`load generator: event loop ${diagnostics.generatorLoopBusyPct}% busy, sending up to ${diagnostics.sendBehindMaxMs} ms behind schedule`);
  }
  const waited = Math.max(diagnostics.relayRunQueueWaitPct, diagnostics.generatorRunQueueWaitPct);
  if (waited > 5) found.push(`other processes on the machine (${diagnostics.otherCpuPct}% of a core) kept ours waiting up to ${waited}% of the window`);
  return found;
}
