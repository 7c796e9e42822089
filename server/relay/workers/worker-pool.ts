import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { addStats, type RelayStats } from '../counters.js';
import type { Endpoint } from '../endpoint.js';
import type { Member } from '../member.js';
import type { MembershipObserver } from '../membership.js';
import type { RateLimitOptions } from '../options.js';
import { RelayStartError, type UdpType } from '../relay-socket.js';
import type { UplinkTally } from '../uplink-loss.js';
import type { FromWorker, MemberReplica, ToWorker, WorkerInit, WorkerReport } from './messages.js';
import { forwardingWorkerEntry } from './worker-entry.js';

/** What the workers need of the relay on the main thread. */
export interface WorkerHost {
  /** A control datagram a worker received: handled as if the main thread's socket had. */
  receiveControl(datagram: Buffer, remote: Endpoint): void;
  member(id: number): Member | undefined;
  members(): Iterable<Member>;
  now(): number;
}

export interface WorkerPoolOptions {
  /** Forwarding workers besides the main thread (which is worker 0). */
  extraWorkers: number;
  type: UdpType;
  address: string;
  port: number;
  rateLimit: RateLimitOptions;
  /** How often each worker reports its counters and whom it heard. */
  reportIntervalMs: number;
}

/** A worker that stopped on its own (a crash) is started again after this, and given all of membership. */
const RESTART_DELAY_MS = 1_000;

function replicaOf(member: Member): MemberReplica {
  return {
    id: member.id,
    room: member.room.key,
    address: member.address,
    port: member.port,
    viaStream: member.stream !== undefined,
    muted: member.flags.muted,
    deafened: member.flags.deafened,
  };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The relay's forwarding workers beyond the main thread, each a worker
 * thread with its own socket on the relay's port. The pool keeps every
 * worker's replica of membership up to date (it observes Membership), hands
 * the control datagrams they receive to the relay, and gathers what they
 * count into the relay's one set of stats.
 */
export class WorkerPool implements MembershipObserver {
  private readonly workers: (Worker | undefined)[];
  private readonly reports = new Map<number, WorkerReport>();
  /** What workers that stopped had counted, so totals never go back. */
  private retired: RelayStats | undefined;
  private readonly pendingReports = new Map<number, { worker: number; resolve: () => void }>();
  private nextRequestId = 1;
  private closing = false;

  constructor(
    private readonly options: WorkerPoolOptions,
    private readonly host: WorkerHost,
    private readonly log: Logger,
  ) {
    this.workers = new Array<Worker | undefined>(options.extraWorkers + 1).fill(undefined);
  }

  /**
   * Starts the workers and waits until each has bound its socket. Rejects with a RelayStartError
   * when one cannot share the port (a system without SO_REUSEPORT): the caller runs on one worker.
   */
  async start(): Promise<void> {
    try {
      await Promise.all(Array.from({ length: this.options.extraWorkers }, (_, i) => this.spawn(i + 1)));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  get count(): number {
    return this.workers.length;
  }

  changed(member: Member, cause: 'joined' | 'moved' | 'roamed' | 'flags'): void {
    // A roam may hand the member to another worker: that one carries its loss count on.
    const tally = cause === 'roamed' ? member.uplinkLoss.tally() : undefined;
    this.broadcast({ type: 'member', member: replicaOf(member), ...(tally ? { tally } : {}) });
  }

  left(member: Member): void {
    this.broadcast({ type: 'left', id: member.id });
  }

  cleared(): void {
    this.broadcast({ type: 'cleared' });
  }

  /** The workers' counters as last reported (at most one report interval old), summed. */
  stats(): RelayStats | undefined {
    let total = this.retired;
    for (const report of this.reports.values()) total = total ? addStats(total, report.stats) : report.stats;
    return total;
  }

  /** Each running worker's latest report. */
  latestReports(): WorkerReport[] {
    return [...this.reports.values()].sort((a, b) => a.worker - b.worker);
  }

  /** Asks every worker for a report now and waits for them: stats() is then exact. */
  async refresh(): Promise<void> {
    await Promise.all(
      this.workers.map((worker, index) => {
        if (!worker) return undefined;
        const requestId = this.nextRequestId++;
        return new Promise<void>((resolve) => {
          // A worker that stops before answering is settled on its exit: nobody is left waiting.
          this.pendingReports.set(requestId, { worker: index, resolve });
          worker.postMessage({ type: 'report', requestId } satisfies ToWorker);
        });
      }),
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.workers.map(async (worker, index) => {
        if (!worker) return;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'close' } satisfies ToWorker);
        // A worker that cannot close its socket in time is stopped.
        const timer = setTimeout(() => void worker.terminate(), 2_000);
        await exited;
        clearTimeout(timer);
        this.workers[index] = undefined;
      }),
    );
    for (const requestId of [...this.pendingReports.keys()]) this.settle(requestId);
  }

  private spawn(index: number): Promise<void> {
    const entry = forwardingWorkerEntry();
    const init: WorkerInit = { worker: index, type: this.options.type, address: this.options.address, port: this.options.port, rateLimit: this.options.rateLimit, reportIntervalMs: this.options.reportIntervalMs };
    const worker = new Worker(entry.url, { workerData: init, execArgv: entry.execArgv });
    this.workers[index] = worker;
    return new Promise<void>((resolve, reject) => {
      let bound = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'bound') {
          bound = true;
          // Started late (after a crash): it needs everyone already here.
          for (const member of this.host.members()) worker.postMessage({ type: 'member', member: replicaOf(member), tally: member.uplinkLoss.tally() } satisfies ToWorker);
          resolve();
        } else if (message.type === 'bindFailed') {
          reject(new RelayStartError(message.code as RelayStartError['code'], `worker ${index}: ${message.message}`));
        } else {
          this.onMessage(message);
        }
      });
      worker.on('error', (error) => {
        this.log.error({ err: error, worker: index }, 'relay worker failed');
        if (!bound) reject(error);
      });
      worker.on('exit', (code) => this.onExit(index, worker, code));
    });
  }

  private onExit(index: number, worker: Worker, code: number): void {
    if (this.workers[index] !== worker) return;
    this.workers[index] = undefined;
    const last = this.reports.get(index);
    if (last) this.retired = this.retired ? addStats(this.retired, last.stats) : last.stats;
    this.reports.delete(index);
    for (const [requestId, pending] of this.pendingReports) if (pending.worker === index) this.settle(requestId);
    if (this.closing) return;
    // Its members' datagrams go to the other sockets meanwhile, which know them all: nobody is dropped.
    this.log.error({ worker: index, code }, 'relay worker stopped; starting it again');
    setTimeout(() => {
      if (!this.closing) this.spawn(index).catch((error: unknown) => this.log.error({ err: error, worker: index }, 'relay worker could not start again'));
    }, RESTART_DELAY_MS).unref();
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'control': {
        if (message.tally) this.adoptTally(...message.tally);
        const remote: Endpoint = { address: message.address, port: message.port, budgetSpent: message.budgetSpent };
        return this.host.receiveControl(toBuffer(message.datagram), remote);
      }
      case 'toStream':
        return this.host.member(message.id)?.stream?.send(toBuffer(message.datagram));
      case 'report': {
        const { type: _type, ...report } = message;
        this.reports.set(report.worker, report);
        const now = this.host.now();
        for (const [id, tally] of report.heard) {
          const member = this.adoptTally(id, tally);
          if (member) member.lastHeardAt = now;
        }
        if (report.requestId !== undefined) this.settle(report.requestId);
        return;
      }
      case 'error':
        this.log.error({ detail: message.detail }, `relay worker: ${message.message}`);
        return;
      default:
        return;
    }
  }

  private adoptTally(id: number, tally: UplinkTally): Member | undefined {
    const member = this.host.member(id);
    member?.uplinkLoss.adopt(tally);
    return member;
  }

  private settle(requestId: number): void {
    const pending = this.pendingReports.get(requestId);
    this.pendingReports.delete(requestId);
    pending?.resolve();
  }

  private broadcast(message: ToWorker): void {
    for (const worker of this.workers) worker?.postMessage(message);
  }
}
