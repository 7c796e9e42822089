import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { compileBenchProcesses } from '../relay/compile.js';
import { nextMessage, reap } from '../relay/spawn.js';
import type { FloorArgs, FloorResult } from './floor-process.js';

const isReady = (message: unknown): message is { type: 'ready'; port: number } => (message as { type?: unknown }).type === 'ready';
const isResult = (message: unknown): message is FloorResult => (message as { type?: unknown }).type === 'result';

/** Datagrams each simulated talker sends per second (20 ms frames), and their size (a voice packet's). */
const TALKER_PPS = 50;
const DATAGRAM = Buffer.alloc(110);

/**
 * The same rhythm as the cpu case, without the engine: a child process with
 * two 10 ms clocks sending 50 datagrams/s, receiving `talkers` × 50/s from
 * this process. What it costs is the floor under the cpu case's figure.
 */
export async function cpuFloorCase(options: { talkers: number; warmupMs: number; windowMs: number }): Promise<Record<string, unknown>> {
  const compiled = await compileBenchProcesses();
  const sink = createSocket('udp4');
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const args: FloorArgs = { sinkPort: (sink.address() as AddressInfo).port, warmupMs: options.warmupMs, windowMs: options.windowMs };
  const child = fork(join(compiled.dir, 'bench', 'engine', 'floor-process.js'), [JSON.stringify(args)], { stdio: ['ignore', 2, 2, 'ipc'] });
  const timers: NodeJS.Timeout[] = [];
  try {
    const { port } = await nextMessage(child, 'the floor process', 30_000, isReady);
    // Talkers' packets spread over each 20 ms, as independent senders' would be.
    for (let talker = 0; talker < options.talkers; talker++) {
      const offsetMs = (talker * 1000) / TALKER_PPS / options.talkers;
      timers.push(setTimeout(() => timers.push(setInterval(() => sink.send(DATAGRAM, port, '127.0.0.1'), 1000 / TALKER_PPS)), offsetMs));
    }
    const result = await nextMessage(child, 'the floor process', options.warmupMs + options.windowMs + 30_000, isResult);
    const { type: _type, ...measured } = result;
    return { case: 'cpu-floor', talkersHeard: options.talkers, sending: true, windowS: options.windowMs / 1000, ...measured };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await reap(child, 5_000);
    sink.close();
    await compiled.dispose();
  }
}
