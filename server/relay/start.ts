import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { deriveRoomAdmissionKeys, deriveRoomKey, derivePasswordKey, randomBytes, RELAY_SALT_BYTES } from '../protocol/crypto.js';
import { normalizeName } from '../protocol/names.js';
import { systemClock } from '../shared/clock.js';
import { systemTimers } from '../shared/timers.js';
import type { RelayStats } from './counters.js';
import type { KeptSecret } from './admission.js';
import { waitUntilEmpty, type DrainOutcome } from './drain.js';
import { relayHealth, type RelayHealth } from './health.js';
import { EventLoopWatch } from './loop-watch.js';
import { createRelayRegistry, serveMetrics, type MetricsServer } from './metrics.js';
import { resolveOptions, type RelayOptions, type ResolvedRelayOptions } from './options.js';
import type { RoomSummary } from './membership.js';
import { Relay } from './relay.js';
import { createRelaySocket, RelayStartError } from './relay-socket.js';
import { reusePortUnsupported } from './workers/worker-count.js';
import { WorkerPool } from './workers/worker-pool.js';
import { workerStat, type WorkerStat } from './workers/worker-stat.js';
import { openStreamSide } from './stream-side.js';

/** How often each worker tells the main thread what it counted and whom it heard: stats and timeouts lag by at most this. */
const WORKER_REPORT_INTERVAL_MS = 250;

export interface RelayHandle {
  /** What the socket is bound to; `::` means every IPv6 and IPv4 address of the machine. */
  address: { host: string; port: number; family: 'IPv4' | 'IPv6' };
  /** The TCP port streams are served on (the UDP port's number), or undefined when `tcp: false`. */
  tcpPort: number | undefined;
  /** Set when TLS is served. */
  tlsPort: number | undefined;
  /** Set when metrics are served. */
  metricsPort: number | undefined;
  /** Forwarding workers running (the main thread is worker 0): fewer than asked where sockets cannot share a port. */
  workers: number;
  /** Each worker's share of the work, read from each now (so `stats()` is exact right after). */
  workerStats(): Promise<WorkerStat[]>;
  stats(): RelayStats;
  rooms(): RoomSummary[];
  /** Prometheus text exposition of the relay's counters. */
  metrics(): Promise<string>;
  /** Whether the event loop keeps up and whether it admits members (served as /healthz and /readyz). */
  health(): RelayHealth;
  /**
   * Refuses new joins (REJECT `draining`), tells every member (BYE `draining`) and serves them
   * until all have left or `deadlineMs` passed, then closes. Safe to call twice.
   */
  drain(deadlineMs: number): Promise<DrainOutcome>;
  /** Tells every member the relay is going away, then releases the port. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a relay: the one the desktop app embeds when someone hosts a room,
 * and the one `parley relay` runs on a server. Loads nothing audio-related.
 */
export async function startRelay(options: RelayOptions = {}): Promise<RelayHandle> {
  const resolved = resolveOptions(options);
  const log = options.logger ?? pino({ level: 'silent' });
  const relaySalt = randomBytes(RELAY_SALT_BYTES);
  const passwordKey = resolved.password ? await derivePasswordKey(resolved.password, relaySalt) : null;
  const keptSecrets = new Map<string, KeptSecret>();
  const keep = async (room: string, secret: string, handOut: boolean): Promise<void> => {
    const name = normalizeName(room);
    keptSecrets.set(name, { secret, handOut, roomPublicKey: deriveRoomAdmissionKeys(await deriveRoomKey(secret, name)).publicKey });
  };
  for (const [room, secret] of Object.entries(options.roomSecrets ?? {})) await keep(room, secret, true);
  // A room password is the room's secret that the relay knows but never hands out: a member must type it.
  for (const [room, password] of Object.entries(options.roomPasswords ?? {})) await keep(room, password, false);
  const clock = options.clock ?? systemClock;
  const unsupported = resolved.workers > 1 ? reusePortUnsupported() : undefined;
  if (unsupported) log.warn(`running 1 worker, not ${resolved.workers}: ${unsupported}`);
  const shareThePort = resolved.workers > 1 && !unsupported;
  const { socket, relay, streams } = await openStreamSide(resolved, () => createRelaySocket(resolved.host, resolved.port, shareThePort), (udp, counters) =>
    new Relay(udp, resolved, { passwordKey, relaySalt }, keptSecrets, clock, log, counters), clock, log);
  const bound = socket.address() as AddressInfo;
  const workers = shareThePort ? await startWorkers(resolved, bound, relay, log) : undefined;
  const workerStats = async (): Promise<WorkerStat[]> => {
    await workers?.refresh();
    const own = workerStat(0, relay.ownStats(), process.threadCpuUsage());
    return [own, ...(workers?.latestReports() ?? []).map((report) => workerStat(report.worker, report.stats, report.cpu))];
  };
  const registry = createRelayRegistry(() => relay.stats(), workers ? workerStats : undefined);
  let closing: Promise<void> | undefined;
  const timers = options.timers ?? systemTimers;
  const loopWatch = new EventLoopWatch(resolved.maxLoopLagMs, timers);
  let draining: Promise<DrainOutcome> | undefined;
  const health = (): RelayHealth => {
    // Watched from the first time anyone asks (a probe, a fleet agent): a relay the app embeds never wakes for it.
    if (!closing) loopWatch.start();
    return relayHealth(loopWatch.lag(), draining !== undefined, relay.stats().members);
  };
  let metricsServer: MetricsServer | undefined;
  try {
    if (resolved.metricsPort !== undefined) metricsServer = await serveMetrics(registry, resolved.metricsHost, resolved.metricsPort, health);
  } catch (error) {
    relay.shutdown();
    await workers?.close();
    await streams.close();
    socket.close();
    throw error;
  }
  const handle: RelayHandle = {
    address: { host: bound.address, port: bound.port, family: bound.family === 'IPv6' ? 'IPv6' : 'IPv4' },
    tcpPort: streams.tcpPort,
    tlsPort: streams.tlsPort,
    metricsPort: metricsServer?.port,
    workers: workers?.count ?? 1,
    workerStats,
    stats: () => relay.stats(),
    rooms: () => relay.roomSummaries(),
    metrics: () => registry.metrics(),
    health,
    drain(deadlineMs) {
      draining ??= (async () => {
        relay.beginDraining();
        log.info({ members: relay.stats().members, deadlineMs }, 'draining: refusing new joins until the members have left');
        const outcome = await waitUntilEmpty(() => relay.stats().members, deadlineMs, timers);
        log.info(outcome, outcome.ended === 'empty' ? 'drained: every member left' : 'drain deadline reached');
        await handle.close();
        return outcome;
      })();
      return draining;
    },
    close() {
      closing ??= (async () => {
        loopWatch.stop();
        relay.shutdown();
        await metricsServer?.close();
        // Let the goodbyes leave the socket before it closes.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await workers?.close();
        await streams.close();
        await new Promise<void>((resolve) => socket.close(() => resolve()));
        log.info('relay stopped');
      })();
      return closing;
    },
  };
  return handle;
}

/**
 * The forwarding workers beyond the main thread, on the port the main thread bound. Where the
 * system turns out not to let sockets share it after all, the relay carries on with one worker.
 */
async function startWorkers(options: ResolvedRelayOptions, bound: AddressInfo, relay: Relay, log: Logger): Promise<WorkerPool | undefined> {
  const pool = new WorkerPool(
    { extraWorkers: options.workers - 1, type: bound.family === 'IPv6' ? 'udp6' : 'udp4', address: bound.address, port: bound.port, rateLimit: options.rateLimit, reportIntervalMs: WORKER_REPORT_INTERVAL_MS },
    relay.workerHost,
    log,
  );
  // Observed before any worker starts, so that no join between the two is missed.
  relay.useWorkers(pool);
  try {
    await pool.start();
  } catch (error) {
    relay.useWorkers(undefined);
    if (!(error instanceof RelayStartError && error.code === 'portInUse')) throw error;
    log.warn(`running 1 worker, not ${options.workers}: this system would not let a second socket share port ${bound.port}`);
    return undefined;
  }
  log.info({ workers: pool.count, port: bound.port }, 'relay forwarding on several workers');
  return pool;
}
