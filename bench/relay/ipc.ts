import type { RelayBenchCase, RelayBenchResult, RelayImpl } from './case-spec.js';

/** What the relay process is told on its command line. */
export interface RelayProcessArgs {
  impl: RelayImpl;
  memberRateLimitPps?: number | undefined;
  /** Where to write a CPU profile of the window, if wanted. */
  profilePath?: string | undefined;
}

/** The relay's own event loop over the window: a stall there delays every packet queued behind it. */
export interface RelayLoopDelay {
  relayLoopDelayP99Ms: number;
  relayLoopDelayMaxMs: number;
}

export type RelayProcessMessage = { type: 'ready'; port: number } | ({ type: 'loop' } & RelayLoopDelay) | { type: 'failed'; message: string };

/** To the relay process: start measuring its loop delay, report it, or stop. */
export type RelayCommand = { type: 'measure' } | { type: 'report' } | { type: 'stop' };

/** What the load generator is told on its command line. */
export interface GeneratorArgs {
  spec: RelayBenchCase;
  relayPort: number;
  relayPid: number;
  /** The core the relay is pinned to, if it is. */
  relayCore: number | undefined;
  profilePath?: string | undefined;
}

/** How the load generator itself fared: a busy generator, not the relay, may explain loss or latency. */
export interface GeneratorDiagnostics {
  joinSeconds: number;
  generatorCpuPct: number;
  /** CPU other processes used during the window, in percent of one core (shared machines). */
  otherCpuPct: number;
  /** Share of the window each main thread waited, runnable, for its core: contention, not work. */
  relayRunQueueWaitPct: number;
  generatorRunQueueWaitPct: number;
  /** Interrupt and softirq time on the relay's core (when pinned), in percent of it: see coreInterruptSeconds. */
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
  | { type: 'result'; result: RelayBenchResult; diagnostics: GeneratorDiagnostics }
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
