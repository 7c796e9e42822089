import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wavefile from 'wavefile';
import { floatToInt16, SAMPLES_PER_MS } from '../../electron/engine/audio-format.js';
import { playInto, recordFrom } from '../../test/audio/helpers/virtual-audio.js';
import { relayPort, runParley, type ParleyProcess } from '../../test/cli/run-parley.js';
import { sleep, waitFor } from '../../test/helpers/relay.js';
import { nextMessage, reap } from '../relay/spawn.js';
import type { DeviceLoopMessage } from './device-loop-process.js';
import { loadCallDevices, type CallDevices, type ClientDevices } from './call-devices.js';
import { findMarker, markedSignal } from './marker-latency.js';
import { quantile, round } from './stats.js';

/** Devices under PulseAudio deliver their first audio about a second after they open. */
const SETTLE_MS = 2_500;
/** The ear's copy of a marker is looked for this far after the mouth's, */
const EAR_SEARCH_MS = 400;
/** and no sooner than this: nothing crosses two devices, Opus and the network faster (a match sooner is noise). */
const EAR_EARLIEST_MS = 20;
const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/parley.js', import.meta.url));
/** naudiodon's report of a PortAudio xrun (ALSA under- or overrun) on the client's stdout. */
const XRUN = /portAudio status - [a-z ]*(underflow|overflow)/g;

export interface MouthToEarOptions {
  seconds: number;
  /** Echo cancellation, noise suppression and automatic gain as the app's defaults, or all off. */
  processing: boolean;
}

/**
 * Mouth to ear through real devices on both ends: chirps every 500 ms played
 * into the talker's microphone (a PulseAudio virtual device), two `parley
 * join` processes through `parley relay` on loopback, and the listener's
 * speaker recorded, on the same sample clock as the microphone (see
 * loadCallDevices). Each chirp's latency is where it is heard less where it
 * was made. `devicesP50Ms` is the device edges alone: the same chirps from
 * the microphone straight to the speaker in one process, no engine; the rest
 * is the engine and the network, of which `jitterBufferMs` is the listener's
 * jitter buffer (median of its stats lines) and `arrivalJitterMs` the RFC 3550
 * jitter of the talker's packets as it saw them. xruns are PortAudio's under- and overflows
 * while the chirps play, per client.
 */
export async function mouthToEarCase(options: MouthToEarOptions): Promise<Record<string, unknown>> {
  if (!existsSync(BUILT_CLI)) throw new Error('mouth-to-ear runs the built `parley` command: run `npm run build:node` first');
  const devices = await loadCallDevices();
  const dir = mkdtempSync(join(tmpdir(), 'parley-m2e-'));
  try {
    const call = await throughParley(devices, dir, options);
    const loop = await throughDevicesOnly(devices, dir, Math.min(options.seconds, 10));
    const p50 = quantile(call.latencies, 0.5);
    const devicesP50 = quantile(loop.latencies, 0.5);
    return {
      case: 'mouth-to-ear',
      processing: options.processing ? 'default' : 'off',
      seconds: options.seconds,
      markers: call.markers,
      found: call.latencies.length,
      p50Ms: round(p50),
      p95Ms: round(quantile(call.latencies, 0.95)),
      minMs: round(Math.min(...call.latencies)),
      maxMs: round(Math.max(...call.latencies)),
      devicesP50Ms: round(devicesP50),
      playoutQueueMs: round(loop.playoutQueueMs),
      engineAndNetworkMs: round(p50 - devicesP50),
      jitterBufferMs: call.jitterBufferMs,
      arrivalJitterMs: call.arrivalJitterMs,
      xruns: call.xruns,
      devicesXruns: loop.xruns,
    };
  } finally {
    await devices.unload();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Measured {
  latencies: number[];
  markers: number;
}

async function throughParley(devices: CallDevices, dir: string, options: MouthToEarOptions): Promise<Measured & { xruns: { talker: number; listener: number }; jitterBufferMs: number; arrivalJitterMs: number }> {
  const processes: ParleyProcess[] = [];
  try {
    const relay = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn']);
    processes.push(relay);
    const port = relayPort(await waitFor('relay banner', () => /Press Ctrl\+C/.test(relay.stdout()) && relay.stdout(), 15_000));
    const processing = options.processing ? [] : ['--echo-cancellation', 'off', '--noise-suppression', 'off', '--auto-gain', 'off'];
    const join = (name: string, own: ClientDevices): ParleyProcess => {
      const args = ['join', `127.0.0.1:${port}`, '--room', 'm2e', '--name', name, '--activation', 'continuous', '--stats-every', '1', ...processing];
      const client = runParley(args, { ...devices.env, ...own });
      processes.push(client);
      return client;
    };
    const listener = join('listener', devices.listener);
    const talker = join('talker', devices.talker);
    await waitFor('both joined', () => /talker is here|\+ talker joined/.test(listener.stdout()) && /listener is here|\+ listener joined/.test(talker.stdout()), 20_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\nlistener:\n${listener.stdout()}${listener.stderr()}\ntalker:\n${talker.stdout()}${talker.stderr()}`);
      },
    );
    await sleep(SETTLE_MS);
    const before = { talker: xruns(talker), listener: xruns(listener), stats: listener.stdout().length };
    const measured = await playAndRecord(devices, dir, options.seconds);
    const lines = [...listener.stdout().slice(before.stats).matchAll(/talker: .* jitter ([\d.]+) ms .* buffer (\d+) ms/g)];
    const buffered = lines.map((m) => Number(m[2]));
    return {
      ...measured,
      xruns: { talker: xruns(talker) - before.talker, listener: xruns(listener) - before.listener },
      jitterBufferMs: quantile(buffered, 0.5),
      arrivalJitterMs: quantile(lines.map((m) => Number(m[1])), 0.5),
    };
  } finally {
    for (const p of processes.reverse()) p.child.kill('SIGINT');
    await Promise.all(processes.map((p) => p.exited()));
  }
}

function xruns(client: ParleyProcess): number {
  return countXruns(client.stdout() + client.stderr());
}

function countXruns(printed: string): number {
  return [...printed.matchAll(XRUN)].length;
}

/**
 * The device edges without the engine: the talker's microphone handed block
 * by block to the listener's speaker, in a child process (device-loop-process.ts).
 */
async function throughDevicesOnly(devices: CallDevices, dir: string, seconds: number): Promise<Measured & { playoutQueueMs: number; xruns: number }> {
  const child = fork(fileURLToPath(new URL('./device-loop-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...devices.env, PULSE_SOURCE: devices.talker.PULSE_SOURCE, PULSE_SINK: devices.listener.PULSE_SINK },
    stdio: ['ignore', 'pipe', 2, 'ipc'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  try {
    await nextMessage(child, 'the device loop', 30_000, (m): m is DeviceLoopMessage => (m as DeviceLoopMessage).type === 'ready');
    await sleep(SETTLE_MS);
    const before = countXruns(printed);
    const measured = await playAndRecord(devices, dir, seconds);
    const xruns = countXruns(printed) - before;
    child.send({ type: 'stop' });
    const result = await nextMessage(child, 'the device loop', 10_000, (m): m is Extract<DeviceLoopMessage, { type: 'result' }> => (m as DeviceLoopMessage).type === 'result');
    return { ...measured, playoutQueueMs: result.playoutQueueMs, xruns };
  } finally {
    await reap(child, 5_000);
  }
}

/** Plays the chirps into the mouth (left) and finds each in the recording's left and right channels. */
async function playAndRecord(devices: CallDevices, dir: string, seconds: number): Promise<Measured> {
  const { signal, marker, starts } = markedSignal(seconds);
  const played = join(dir, 'mouth.wav');
  const wav = new wavefile.WaveFile();
  wav.fromScratch(2, 48_000, '16', [floatToInt16(signal), new Int16Array(signal.length)]);
  writeFileSync(played, wav.toBuffer());
  const recorded = join(dir, 'probe.wav');
  const recording = await recordFrom(`${devices.probe}.monitor`, recorded, 2);
  await playInto(devices.probe, played);
  await sleep(EAR_SEARCH_MS + 400);
  await recording.stop();
  const [mouth, ear] = stereo(recorded);
  return { latencies: pairedLatencies(mouth, ear, marker, starts), markers: starts.length };
}

function stereo(path: string): [Float32Array, Float32Array] {
  const wav = new wavefile.WaveFile(readFileSync(path));
  const [left, right] = wav.getSamples(false, Float64Array) as unknown as Float64Array[];
  const scale = (channel: Float64Array | undefined): Float32Array => Float32Array.from(channel ?? [], (x) => x / 32_768);
  return [scale(left), scale(right)];
}

/**
 * Each marker's latency in ms from the mouth channel to the ear channel. The
 * recording starts at an unknown point of the played signal: the first marker
 * is searched for, the rest are looked for near where the signal puts them.
 */
export function pairedLatencies(mouth: Float32Array, ear: Float32Array, marker: Float32Array, starts: readonly number[]): number[] {
  const first = firstMarker(mouth, marker, starts[0]! + 3_000 * SAMPLES_PER_MS);
  if (first === undefined) return [];
  const near = 20 * SAMPLES_PER_MS;
  const latencies: number[] = [];
  for (const start of starts) {
    const made = findMarker(mouth, marker, Math.max(0, first + start - starts[0]! - near), 2 * near);
    if (made === undefined) continue;
    const heard = findMarker(ear, marker, made + EAR_EARLIEST_MS * SAMPLES_PER_MS, (EAR_SEARCH_MS - EAR_EARLIEST_MS) * SAMPLES_PER_MS);
    if (heard !== undefined) latencies.push((heard - made) / SAMPLES_PER_MS);
  }
  return latencies;
}

/**
 * The earliest marker within `span` samples: windows of half the markers'
 * spacing are searched in turn, so none holds two starts and the first that
 * finds one found the first (the best match overall could be any of them).
 */
function firstMarker(mouth: Float32Array, marker: Float32Array, span: number): number | undefined {
  const window = 250 * SAMPLES_PER_MS;
  for (let from = 0; from < Math.min(mouth.length, span); from += window) {
    const found = findMarker(mouth, marker, from, window);
    if (found !== undefined) return found;
  }
  return undefined;
}
