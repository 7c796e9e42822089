/**
 * The measured client of the engine bench's cpu case, alone in its own
 * process so its CPU time is its own: it joins the room, sends speech, and
 * on request measures CPU, RSS and event-loop lateness over a window while
 * the parent's talkers speak. Argument: JSON ListenerArgs. Messages: see ipc below.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import { VoiceClient } from '../../electron/client/voice-client.js';
import { DEFAULT_SEND_SETTINGS } from '../../electron/engine/send/send-pipeline.js';
import { LoopDelay } from '../relay/loop-delay.js';
import { WindowProfiler } from '../relay/window-profiler.js';

export interface ListenerArgs {
  relayPort: number;
  secret: string;
  speechPath: string;
  talkers: number;
  warmupMs: number;
  windowMs: number;
  /** Write a V8 CPU profile of the measured window here. */
  profilePath?: string;
}

export interface ListenerResult {
  type: 'result';
  cpuPct: number;
  /** Of which in the kernel (system calls: UDP, timers, file writes). */
  cpuSystemPct: number;
  rssMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  peersHeard: number;
  packetsReceived: number;
  lostPct: number;
}

const args = JSON.parse(process.argv[2]!) as ListenerArgs;
const send = (message: object): void => void process.send?.(message);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A WAV file standing in for a speaker: it says it is acoustic, so the
 * client runs its echo canceller on the mix as it would with a device.
 */
class SpeakerStandIn extends WavFileSink {
  override readonly acoustic: boolean = true;
}

const dir = mkdtempSync(join(tmpdir(), 'parley-engine-bench-'));
const client = await VoiceClient.start({
  session: { relay: { host: '127.0.0.1', port: args.relayPort }, room: 'cpu', name: 'listener', secret: args.secret },
  input: new WavFileSource({ path: args.speechPath, loop: true }),
  output: new SpeakerStandIn({ path: join(dir, 'heard.wav') }),
  // Voice processing as the app's defaults have it: every stage at work.
  send: { ...DEFAULT_SEND_SETTINGS, activation: 'continuous', echoCancellation: true, noiseSuppression: 'high', autoGain: true },
  cueSounds: false,
});
send({ type: 'joined' });
await new Promise<void>((resolve) => process.once('message', () => resolve()));

const talking = (): number => client.snapshot().peers.filter((peer) => peer.stats && peer.stats.packetsReceived > 0).length;
while (talking() < args.talkers) await sleep(20);
await sleep(args.warmupMs);

const profiler = new WindowProfiler(args.profilePath);
await profiler.start();
const loop = new LoopDelay(10);
loop.enable();
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
await sleep(args.windowMs);
const cpu = process.cpuUsage(cpuBefore);
const wallMs = performance.now() - wallBefore;
loop.disable();
await profiler.stop();

const peers = client.snapshot().peers.map((peer) => peer.stats!);
const result: ListenerResult = {
  type: 'result',
  cpuPct: Number(((100 * (cpu.user + cpu.system)) / 1000 / wallMs).toFixed(2)),
  cpuSystemPct: Number(((100 * cpu.system) / 1000 / wallMs).toFixed(2)),
  rssMb: Number((process.memoryUsage().rss / 2 ** 20).toFixed(1)),
  loopDelayP99Ms: loop.p99Ms(),
  loopDelayMaxMs: loop.maxMs(),
  peersHeard: peers.length,
  packetsReceived: peers.reduce((sum, stats) => sum + stats.packetsReceived, 0),
  lostPct: Number(Math.max(...peers.map((stats) => stats.lostPct)).toFixed(2)),
};
send(result);
await client.leave();
rmSync(dir, { recursive: true, force: true });
process.disconnect?.();
