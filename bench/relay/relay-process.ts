import { startRelay, type RelayOptions, type WorkerStat } from '../../server/index.js';
import type { WorkerWindow } from './case-spec.js';
import { childArgs, isMessageOfType, tellParent, type RelayCommand, type RelayProcessArgs } from './ipc.js';
import { LoopDelay } from './loop-delay.js';
import { startNaiveRelay } from './naive-relay.js';
import { WindowProfiler } from './window-profiler.js';
import { snapshotWorkers, workerWindows, type WorkerSnapshot } from './worker-stats.js';

interface StartedRelay {
  port: number;
  workers: number;
  readWorkers: (() => Promise<WorkerStat[]>) | undefined;
  close(): Promise<void>;
}

async function startParley(args: RelayProcessArgs): Promise<StartedRelay> {
  const rate = args.memberRateLimitPps;
  const options: RelayOptions = {
    host: args.host,
    port: 0,
    workers: args.workers,
    // Every simulated member joins from the one address (loopback, or the namespace's end of the veth), where a relay in the wild sees one each.
    joinsPerSecond: 1_000,
    perAddress: { joins: { perSecond: 500, burst: 500 }, hellos: { perSecond: 1_000, burst: 2_000 } },
    // Likewise every TCP member: the per-address connection limit is for the wild, too.
    streamLimits: { perAddress: 10_000, maxConnections: 10_000 },
    // Raised only for ceiling-finding cases; bytes scale with packets at the default 320 bytes per packet.
    ...(rate === undefined ? {} : { rateLimit: { packetsPerSecond: rate, burstPackets: rate, bytesPerSecond: rate * 320, burstBytes: rate * 320 } }),
  };
  const relay = await startRelay(options);
  if (relay.workers !== args.workers) {
    await relay.close();
    throw new Error(`asked for ${args.workers} workers, but the relay runs ${relay.workers} (see its log)`);
  }
  return { port: relay.address.port, workers: relay.workers, readWorkers: () => relay.workerStats(), close: () => relay.close() };
}

/**
 * The relay under test, alone in its process so its CPU and memory can be
 * read from /proc. Parley's relay starts as `parley relay` starts it, but
 * for the per-address join budget: every member here shares one address.
 */
async function main(): Promise<void> {
  const args = childArgs<RelayProcessArgs>();
  const relay: StartedRelay =
    args.impl === 'naive' ? { ...(await startNaiveRelay(args.host, 0)), workers: 1, readWorkers: undefined } : await startParley(args);
  const stop = async (): Promise<void> => {
    await relay.close();
    process.exit(0);
  };
  // Sampled every 10 ms, and only during the window: cheap, and blind to the joins before it.
  const loopDelay = new LoopDelay(10);
  const profiler = new WindowProfiler(args.profilePath);
  let windowStart: WorkerSnapshot | undefined;
  let perWorker: WorkerWindow[] | null = null;
  const obey = async (message: unknown): Promise<void> => {
    if (isMessageOfType<RelayCommand, 'measure'>(message, 'measure')) {
      // Read before the profiler starts, so its start-up does not shift the window's edge.
      if (relay.readWorkers) windowStart = await snapshotWorkers(relay.readWorkers);
      loopDelay.enable();
      await profiler.start();
    }
    if (isMessageOfType<RelayCommand, 'window-ended'>(message, 'window-ended')) {
      if (relay.readWorkers && windowStart) perWorker = workerWindows(windowStart, await snapshotWorkers(relay.readWorkers));
    }
    if (isMessageOfType<RelayCommand, 'report'>(message, 'report')) {
      loopDelay.disable();
      await profiler.stop();
      await tellParent({ type: 'window-report', relayLoopDelayP99Ms: loopDelay.p99Ms(), relayLoopDelayMaxMs: loopDelay.maxMs(), perWorker });
    }
    if (isMessageOfType<RelayCommand, 'stop'>(message, 'stop')) await stop();
  };
  // One command at a time, in order: reading the workers takes a round trip to each.
  let obeying = Promise.resolve();
  process.on('message', (message) => {
    obeying = obeying.then(() => obey(message)).catch((error: unknown) => void process.stderr.write(`[relay-bench] relay process: ${String(error)}\n`));
  });
  // An orphaned relay would keep a core busy: leave with the parent.
  process.on('disconnect', () => void stop());
  await tellParent({ type: 'ready', port: relay.port, workers: relay.workers });
}

main().catch(async (error: unknown) => {
  await tellParent({ type: 'failed', message: error instanceof Error ? error.message : String(error) }).catch(() => {});
  process.exit(1);
});
