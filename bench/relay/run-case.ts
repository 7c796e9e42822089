import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CompiledBench } from './compile.js';
import { validateCase, type RelayBenchCase, type RelayBenchResult } from './case-spec.js';
import {
  isMessageOfType,
  type GeneratorArgs,
  type GeneratorDiagnostics,
  type GeneratorMessage,
  type RelayCommand,
  type RelayLoopDelay,
  type RelayProcessArgs,
  type RelayProcessMessage,
} from './ipc.js';
import type { BenchNetns } from './netns.js';
import { placeProcesses, type Placement } from './placement.js';
import { isPinningAvailable, machineBusyCpuSeconds } from './proc-stats.js';
import { nextMessage, reap, spawnBenchProcess } from './spawn.js';

export interface RunOptions {
  /** Pin the relay and the load to cores of their own (when taskset exists; see placeProcesses). Default true. */
  pin?: boolean;
  /** Run the load generator in this network namespace, the relay on its veth's root end; undefined keeps both on loopback. */
  netns?: BenchNetns | undefined;
  /** Write V8 CPU profiles of the relay and the load generator over the window into this folder. */
  cpuProfileDir?: string | undefined;
  /** Scheduling priority (nice) for both processes; below 0 needs root. Default 0. */
  nice?: number;
  /**
   * Before a case, wait up to this long for other processes to leave the
   * machine nearly idle (this machine's two cores may be shared). Default 10.
   */
  quietWaitSeconds?: number;
  /** Runs again (at most this many times) when the relay or the generator waited over 5% of the window for its core. Default 1. */
  retries?: number;
}

export interface CaseOutcome {
  result: RelayBenchResult;
  diagnostics: GeneratorDiagnostics & RelayLoopDelay;
  placement: Placement;
}

const isAnswer =
  <T extends { type: string }, K extends T['type']>(...types: K[]) =>
  (message: unknown): message is Extract<T, { type: K }> =>
    types.some((type) => isMessageOfType<T, K>(message, type));

/**
 * Runs one case with the relay and the load generator each in its own
 * process (and, where taskset allows, on cores of their own; the generator
 * in its own network namespace if asked), then stops both.
 */
export async function runRelayBenchCase(spec: RelayBenchCase, compiled: CompiledBench, options: RunOptions = {}): Promise<CaseOutcome> {
  validateCase(spec);
  const workers = spec.workers ?? 1;
  const placement = placeProcesses((options.pin ?? true) && isPinningAvailable(), workers);
  const relayHost = options.netns?.relayHost ?? '127.0.0.1';
  await waitForQuietMachine(options.quietWaitSeconds ?? 10);
  // The children run in the repository root: make the folder absolute before handing it over.
  const profileDir = options.cpuProfileDir === undefined ? undefined : resolve(options.cpuProfileDir);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const profilePath = (role: string): string | undefined =>
    profileDir
      ? join(profileDir, `${role}-${spec.impl}-${spec.members}m-${spec.talkersPerRoom}t-${spec.packetsPerSecond}pps${workers > 1 ? `-${workers}w` : ''}.cpuprofile`)
      : undefined;
  const relayArgs: RelayProcessArgs = { impl: spec.impl, host: relayHost, workers, memberRateLimitPps: spec.memberRateLimitPps, profilePath: profilePath('relay') };
  const nice = options.nice ?? 0;
  const relay = spawnBenchProcess(compiled, 'relay-process.ts', relayArgs, { cores: placement.relayCores, nice });
  const command = (message: RelayCommand): void => {
    if (relay.connected) relay.send(message);
  };
  try {
    const ready = await nextMessage(relay, 'the relay process', 30_000, isAnswer<RelayProcessMessage, 'ready' | 'failed'>('ready', 'failed'));
    if (ready.type === 'failed') throw new Error(`the relay did not start: ${ready.message}`);
    const generatorArgs: GeneratorArgs = {
      spec,
      netns: options.netns !== undefined,
      relayHost,
      relayPort: ready.port,
      relayPid: relay.pid!,
      relayCores: placement.relayCores ?? [],
      profilePath: profilePath('generator'),
    };
    const generator = spawnBenchProcess(compiled, 'generator-process.ts', generatorArgs, { cores: placement.loadCore === undefined ? undefined : [placement.loadCore], nice, netns: options.netns?.name });
    generator.on('message', (message) => {
      if (isMessageOfType<GeneratorMessage, 'window-started'>(message, 'window-started')) command({ type: 'measure' });
      if (isMessageOfType<GeneratorMessage, 'window-ended'>(message, 'window-ended')) command({ type: 'window-ended' });
    });
    try {
      // Joining paces itself at 400/s; allow for that, the warm-up, the window and generous slack.
      const budgetMs = (spec.members / 400 + spec.warmupSeconds + spec.seconds) * 1000 + 60_000;
      const reply = await nextMessage(generator, 'the load generator', budgetMs, isAnswer<GeneratorMessage, 'result' | 'failed'>('result', 'failed'));
      if (reply.type === 'failed') throw new Error(`the load generator failed: ${reply.message}`);
      const report = nextMessage(relay, 'the relay process', 10_000, isAnswer<RelayProcessMessage, 'window-report'>('window-report'));
      command({ type: 'report' });
      const { relayLoopDelayP99Ms, relayLoopDelayMaxMs, perWorker } = await report;
      // In RESULT_FIELDS order: the generator's figures, then the relay's own and the harness's.
      const result: RelayBenchResult = { ...reply.result, workers: ready.workers, perWorker, netns: options.netns !== undefined };
      return { result, diagnostics: { ...reply.diagnostics, relayLoopDelayP99Ms, relayLoopDelayMaxMs }, placement };
    } finally {
      await reap(generator, 5_000);
    }
  } finally {
    command({ type: 'stop' });
    await reap(relay, 10_000);
  }
}

/** Busy share of one core, over all cores, that counts as "quiet": background daemons and this parent. */
const QUIET_CPU_PCT = 15;

async function waitForQuietMachine(maxSeconds: number): Promise<void> {
  if (maxSeconds <= 0) return;
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const before = machineBusyCpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busyPct = (machineBusyCpuSeconds() - before) * 100;
    if (busyPct <= QUIET_CPU_PCT) return;
    if (Date.now() >= deadline) {
      process.stderr.write(`[relay-bench] other processes keep ${busyPct.toFixed(0)}% of a core busy; measuring anyway\n`);
      return;
    }
  }
}

/**
 * How much of the window the relay or the generator spent runnable but
 * waiting for its core. Alone on a pinned core that is ~0; more means other
 * processes took the core, which inflates latency and can cause loss.
 */
export function disturbancePct(outcome: CaseOutcome): number {
  return Math.max(outcome.diagnostics.relayRunQueueWaitPct, outcome.diagnostics.generatorRunQueueWaitPct);
}

const DISTURBED_PCT = 5;

/** Runs a case, again if other processes took the cores meanwhile; keeps the least disturbed run. */
export async function runUndisturbed(spec: RelayBenchCase, compiled: CompiledBench, options: RunOptions = {}): Promise<CaseOutcome> {
  let best: CaseOutcome | undefined;
  for (let attempt = 0; attempt <= (options.retries ?? 1); attempt++) {
    const outcome = await runRelayBenchCase(spec, compiled, options);
    if (!best || disturbancePct(outcome) < disturbancePct(best)) best = outcome;
    if (disturbancePct(outcome) <= DISTURBED_PCT) break;
    process.stderr.write(`[relay-bench]   disturbed: waited ${disturbancePct(outcome)}% of the window for a core (other processes used ${outcome.diagnostics.otherCpuPct}% of one)\n`);
  }
  return best!;
}
