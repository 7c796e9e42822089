import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const repo = new URL('../..', import.meta.url).pathname;

export interface ParleyProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited(): Promise<number | null>;
}

/** Runs the built `parley` command (bin/parley.js) as a user would, on this Node or the one given. */
export function runParley(args: string[], env: Record<string, string | undefined> = {}, nodeArgs: string[] = [], node = process.execPath): ParleyProcess {
  return spawnCollected(node, [...nodeArgs, join(repo, 'bin/parley.js'), ...args], { ...process.env, ...env });
}

/** Any command, its output collected as it comes. */
export function spawnCollected(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ParleyProcess {
  const child = spawn(command, args, { env, cwd: repo });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)))),
  };
}

/** The UDP port from `parley relay`'s banner. */
export function relayPort(banner: string): number {
  const match = /listening on UDP (?:\[[^\]]+\]|[^:\s]+):(\d+)/.exec(banner);
  if (!match) throw new Error(`no port in: ${banner}`);
  return Number(match[1]);
}
