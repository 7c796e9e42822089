import { startRelay } from '../../server/index.js';
import { childArgs, isMessageOfType, tellParent, type RelayCommand, type RelayProcessArgs } from './ipc.js';
import { LoopDelay } from './loop-delay.js';
import { startNaiveRelay } from './naive-relay.js';
import { WindowProfiler } from './window-profiler.js';

/**
 * The relay under test, alone in its process so its CPU and memory can be
 * read from /proc. Parley's relay starts as `parley relay` starts it, but
 * for the per-address join budget: every member here shares one address.
 */
async function main(): Promise<void> {
  const args = childArgs<RelayProcessArgs>();
  let close: () => Promise<void>;
  let port: number;
  if (args.impl === 'naive') {
    const naive = await startNaiveRelay('127.0.0.1', 0);
    ({ port, close } = naive);
  } else {
    const rate = args.memberRateLimitPps;
    const relay = await startRelay({
      host: '127.0.0.1',
      port: 0,
      // Every simulated member joins from the one loopback address, where a relay in the wild sees one each.
      joinsPerSecond: 1_000,
      perAddress: { joins: { perSecond: 500, burst: 500 }, hellos: { perSecond: 1_000, burst: 2_000 } },
      // Likewise every TCP member: the per-address connection limit is for the wild, too.
      streamLimits: { perAddress: 10_000, maxConnections: 10_000 },
      // Raised only for ceiling-finding cases; bytes scale with packets at the default 320 bytes per packet.
      ...(rate === undefined ? {} : { rateLimit: { packetsPerSecond: rate, burstPackets: rate, bytesPerSecond: rate * 320, burstBytes: rate * 320 } }),
    });
    port = relay.address.port;
    close = () => relay.close();
  }
  const stop = async (): Promise<void> => {
    await close();
    process.exit(0);
  };
  // Sampled every 10 ms, and only during the window: cheap, and blind to the joins before it.
  const loopDelay = new LoopDelay(10);
  const profiler = new WindowProfiler(args.profilePath);
  const obey = async (message: unknown): Promise<void> => {
    if (isMessageOfType<RelayCommand, 'measure'>(message, 'measure')) {
      loopDelay.enable();
      await profiler.start();
    }
    if (isMessageOfType<RelayCommand, 'report'>(message, 'report')) {
      loopDelay.disable();
      await profiler.stop();
      await tellParent({ type: 'loop', relayLoopDelayP99Ms: loopDelay.p99Ms(), relayLoopDelayMaxMs: loopDelay.maxMs() });
    }
    if (isMessageOfType<RelayCommand, 'stop'>(message, 'stop')) await stop();
  };
  process.on('message', (message) => {
    obey(message).catch((error: unknown) => process.stderr.write(`[relay-bench] relay process: ${String(error)}\n`));
  });
  // An orphaned relay would keep a core busy: leave with the parent.
  process.on('disconnect', () => void stop());
  await tellParent({ type: 'ready', port });
}

main().catch(async (error: unknown) => {
  await tellParent({ type: 'failed', message: error instanceof Error ? error.message : String(error) }).catch(() => {});
  process.exit(1);
});
