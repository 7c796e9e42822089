import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, type CompiledBench } from './compile.js';

export interface SpawnOptions {
  /** Pin to these CPUs with taskset; undefined leaves scheduling to the kernel. */
  cores: readonly number[] | undefined;
  /** Run inside this network namespace (`ip netns exec`); undefined keeps the parent's. */
  netns?: string | undefined;
  /**
   * Scheduling priority; 0 leaves it alone. Where the kernel groups tasks by
   * session (autogroup), a task's own nice only ranks it within its session,
   * so the child gets a session of its own and the nice is set on that.
   */
  nice?: number;
}

/**
 * Runs one of the benchmark's compiled entry points (named by its source
 * file, `relay-process.ts`) in its own Node process with an IPC channel,
 * optionally pinned to cores (all its threads inherit the pinning) and in a
 * network namespace of its own (the IPC channel, a descriptor, passes through). Its stdout goes to
 * our stderr: the benchmark's stdout carries only result lines.
 */
export function spawnBenchProcess(compiled: CompiledBench, source: string, argument: unknown, options: SpawnOptions): ChildProcess {
  const script = join(compiled.dir, 'bench', 'relay', source.replace(/\.ts$/, '.js'));
  const node = [script, JSON.stringify(argument)];
  const nice = options.nice ?? 0;
  const autogroups = nice !== 0 && existsSync('/proc/self/autogroup');
  // nice, taskset and ip netns exec each exec the next program in place, so the pid stays Node's.
  const command = [
    ...(nice !== 0 && !autogroups ? ['nice', '-n', String(nice)] : []),
    ...(options.cores === undefined ? [] : ['taskset', '-c', options.cores.join(',')]),
    ...(options.netns === undefined ? [] : ['ip', 'netns', 'exec', options.netns]),
    process.execPath,
    ...node,
  ];
  const child = spawn(command[0]!, command.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 2, 2, 'ipc'], detached: autogroups });
  if (autogroups && child.pid !== undefined) writeFileSync(`/proc/${child.pid}/autogroup`, String(nice));
  return child;
}

/**
 * Resolves with the next message from the child that `accept` takes, or
 * rejects when the child exits (or errs) first, or on timeout.
 */
export function nextMessage<T>(child: ChildProcess, what: string, timeoutMs: number, accept: (message: unknown) => message is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onMessage = (message: unknown): void => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`${what} exited (${signal ?? `code ${code}`}) before reporting`));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} did not report within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

/** Waits for a child to exit; kills it if it has not after `graceMs`. */
export function reap(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
