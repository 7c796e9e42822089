import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { RelayStats } from './counters.js';
import type { WorkerStat } from './workers/worker-stat.js';
import { answerHealthProbe, type RelayHealth } from './health.js';
import { explainListenError, type ListenFailure } from './listen-error.js';

/**
 * Prometheus metrics for one relay, in a registry of its own so several
 * relays in one process (tests, an app hosting twice) never share series.
 */
export function createRelayRegistry(readStats: () => RelayStats, readWorkers?: () => Promise<WorkerStat[]>): Registry {
  const registry = new Registry();
  // prom-client counters only go up by inc(); these mirror totals kept elsewhere.
  const mirror = (counter: Counter<string>, labels: Record<string, string>, total: number): void => {
    counter.reset();
    counter.inc(labels, total);
  };
  new Gauge({
    name: 'parley_members',
    help: 'Members currently joined',
    registers: [registry],
    collect() {
      this.set(readStats().members);
    },
  });
  new Gauge({
    name: 'parley_rooms',
    help: 'Rooms with at least one member',
    registers: [registry],
    collect() {
      this.set(readStats().rooms);
    },
  });
  new Gauge({
    name: 'parley_stream_connections',
    help: 'TCP and TLS connections open now',
    registers: [registry],
    collect() {
      this.set(readStats().streamsOpen);
    },
  });
  new Counter({
    name: 'parley_packets_received_total',
    help: 'Datagrams received, by kind',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const stats = readStats();
      this.reset();
      this.inc({ kind: 'media' }, stats.mediaIn);
      this.inc({ kind: 'control' }, stats.controlIn);
    },
  });
  new Counter({
    name: 'parley_packets_sent_total',
    help: 'Datagrams sent, by kind',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const stats = readStats();
      this.reset();
      this.inc({ kind: 'media' }, stats.mediaForwarded);
      this.inc({ kind: 'control' }, stats.controlSent);
    },
  });
  // One label, one series per key of a map of totals kept elsewhere.
  const byLabel = (name: string, help: string, label: string, read: (stats: RelayStats) => Partial<Record<string, number>>): void => {
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        for (const [value, count] of Object.entries(read(readStats()))) this.inc({ [label]: value }, count ?? 0);
      },
    });
  };
  byLabel('parley_packets_dropped_total', 'Datagrams dropped, by reason', 'reason', (stats) => stats.dropped);
  byLabel('parley_joins_refused_total', 'Joins refused, by reject code', 'code', (stats) => stats.refused);
  byLabel('parley_room_moves_refused_total', 'Moves to another room refused, by reject code', 'code', (stats) => stats.movesRefused);
  byLabel('parley_streams_cut_total', 'TCP and TLS connections cut off or refused, by reason', 'reason', (stats) => stats.streamsCut);
  const simple: [string, string, (stats: RelayStats) => number][] = [
    ['parley_bytes_received_total', 'Bytes received', (s) => s.bytesIn],
    ['parley_bytes_sent_total', 'Bytes sent', (s) => s.bytesOut],
    ['parley_send_errors_total', 'Sends the operating system refused', (s) => s.sendErrors],
    ['parley_joins_total', 'Members admitted', (s) => s.joins],
    ['parley_leaves_total', 'Members that left cleanly', (s) => s.leaves],
    ['parley_timeouts_total', 'Members dropped after going silent', (s) => s.timeouts],
    ['parley_roams_total', 'Members that moved to a new address', (s) => s.roams],
    ['parley_room_moves_total', 'Members that moved to another room in their session', (s) => s.moves],
    ['parley_streams_accepted_total', 'TCP and TLS connections accepted', (s) => s.streamsAccepted],
    ['parley_stream_sends_dropped_total', 'Datagrams for a member whose stream was gone', (s) => s.streamSendsDropped],
  ];
  for (const [name, help, read] of simple) {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        mirror(this, {}, read(readStats()));
      },
    });
  }
  if (readWorkers) perWorker(registry, readWorkers);
  return registry;
}

/** Each forwarding worker's share, labelled by its number (0 is the main thread): how evenly the kernel spreads members, and what each core costs. */
function perWorker(registry: Registry, askWorkers: () => Promise<WorkerStat[]>): void {
  // A scrape collects every series at once: they share one round of asking the workers.
  let asking: Promise<WorkerStat[]> | undefined;
  const readWorkers = (): Promise<WorkerStat[]> => (asking ??= askWorkers().finally(() => (asking = undefined)));
  new Gauge({
    name: 'parley_workers',
    help: 'Forwarding workers running, each with its own socket on the port',
    registers: [registry],
    async collect() {
      this.set((await readWorkers()).length);
    },
  });
  const series: [string, string, (stat: WorkerStat) => number][] = [
    ['parley_worker_packets_received_total', 'Datagrams each worker’s socket received', (w) => w.packetsIn],
    ['parley_worker_media_forwarded_total', 'Media packets each worker forwarded', (w) => w.mediaForwarded],
    ['parley_worker_cpu_seconds_total', 'CPU time of each worker’s thread', (w) => (w.cpuUserUs + w.cpuSystemUs) / 1e6],
  ];
  for (const [name, help, read] of series) {
    new Counter({
      name,
      help,
      labelNames: ['worker'],
      registers: [registry],
      async collect() {
        const workers = await readWorkers();
        this.reset();
        for (const worker of workers) this.inc({ worker: String(worker.worker) }, read(worker));
      },
    });
  }
}

/** Why the metrics endpoint could not start (the relay does not start either). */
export class MetricsStartError extends Error {
  constructor(
    readonly code: ListenFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MetricsStartError';
  }
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Prometheus text on /metrics, and the health probes (server/relay/health.ts) on /healthz and /readyz. */
export async function serveMetrics(registry: Registry, host: string, port: number, health: () => RelayHealth): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const probe = request.method === 'GET' ? answerHealthProbe(request.url ?? '', health()) : null;
    if (probe) {
      response.writeHead(probe.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(probe.body);
      return;
    }
    if (request.method !== 'GET' || (request.url !== '/metrics' && request.url !== '/')) {
      response.writeHead(404).end('Not found: try /metrics, /healthz or /readyz\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(`metrics failed: ${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const { code, message } = explainListenError(error, 'TCP', host, port);
      reject(new MetricsStartError(code, message, { cause: error }));
    });
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
