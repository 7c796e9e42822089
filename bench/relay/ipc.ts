import type { GeneratorResult, RelayBenchCase, RelayImpl, WorkerWindow } from './case-spec.js';

/** What the relay process is told on its command line. */
export interface RelayProcessArgs {
  impl: RelayImpl;
  /** The address to listen on: loopback, or the root namespace's end of the veth pair. */
  host: string;
  /** Parley's `startRelay({ workers })`. */
  workers: number;
  memberRateLimitPps?: number | undefined;
  /** Where to write a CPU profile of the window, if wanted. */
  profilePath?: string | undefined;
}

/** The relay's own event loop over the window: a stall there delays every packet queued behind it. */
export interface RelayLoopDelay {
  relayLoopDelayP99Ms: number;
  relayLoopDelayMaxMs: number;
}

/** What the relay process reports about the window once it is over. */
export interface RelayWindowReport extends RelayLoopDelay {
  /** Null when the relay has no `workerStats()` (the naive relay, or one from before workers). */
  perWorker: WorkerWindow[] | null;
}

export type RelayProcessMessage =
  | { type: 'ready'; port: number; workers: number }
  | ({ type: 'window-report' } & RelayWindowReport)
  | { type: 'failed'; message: string };

/** To the relay process: the window starts (start measuring), it ended (read the workers again), report, or stop. */
export type RelayCommand = { type: 'measure' } | { type: 'window-ended' } | { type: 'report' } | { type: 'stop' };

/** What the load generator is told on its command line. */
export interface GeneratorArgs {
  spec: RelayBenchCase;
  /** Whether it was started in a network namespace of its own (which it checks). */
  netns: boolean;
  relayHost: string;
  relayPort: number;
  relayPid: number;
  /** The cores the relay is pinned to, each its own; empty when it is not pinned. */
  relayCores: number[];
  profilePath?: string | undefined;
}

/** How the load generator itself fared: a busy generator, not the relay, may explain loss or latency. */
export interface GeneratorDiagnostics {
  joinSeconds: number;
  /** CPU other processes used during the window, in percent of one core (shared machines). */
  otherCpuPct: number;
  /** Share of the window each main thread waited, runnable, for its core: contention, not work. */
  relayRunQueueWaitPct: number;
  generatorRunQueueWaitPct: number;
  /** Interrupt and softirq time on the relay's cores (when pinned), in percent of one core: see coreInterruptSeconds. */
  relayCoreSoftirqPct: number;
  /** Event-loop utilisation over the window, in percent. */
  generatorLoopBusyPct: number;
  generatorLoopDelayP99Ms: number;
  /** How far the sending fell behind its schedule at worst. */
  sendBehindMaxMs: number;
  kernelDropsAtRelay: number;
  kernelDropsAtMembers: number;
  relayIdleRssMb: number;
  controlDatagramsReceived: number;
}

export type GeneratorMessage =
  | { type: 'window-started' }
  | { type: 'window-ended' }
  | { type: 'result'; result: GeneratorResult; diagnostics: GeneratorDiagnostics }
  | { type: 'failed'; message: string };

/** Narrows an IPC message (untyped on arrival) to the member of union T with the given type. */
export function isMessageOfType<T extends { type: string }, K extends T['type'] = T['type']>(value: unknown, type: K): value is Extract<T, { type: K }> {
  return typeof value === 'object' && value !== null && (value as { type: unknown }).type === type;
}

/** Child processes take one JSON argument. */
export function childArgs<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('expected one JSON argument');
  return JSON.parse(raw) as T;
}

/** Sends to the parent and waits until the message is written, so an exit right after cannot lose it. */
export function tellParent(message: RelayProcessMessage | GeneratorMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('not started with an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}
