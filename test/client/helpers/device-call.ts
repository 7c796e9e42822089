/**
 * What the device tests of a call share: a relay, PulseAudio modules made for
 * one test and removed after it, clients on those devices, and both clients'
 * output printed when a test fails.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { useVirtualAudio } from '../../audio/helpers/virtual-audio.js';
import { relayPort, runParley, type ParleyProcess } from '../../cli/run-parley.js';
import { waitFor } from '../../helpers/relay.js';
import { matchSegments, spectralScorer } from '../../support/audio-compare.js';

const run = promisify(execFile);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface CallRig {
  /** The relay's UDP port on 127.0.0.1. */
  readonly port: number;
  readonly devices: VirtualDevices;
}

/** For a describe block: the virtual devices and a `parley relay` on a free loopback port, from before its tests to after them. */
export function useCallRig(): CallRig {
  let relay: ParleyProcess | undefined;
  let port = 0;
  let devices: VirtualDevices | undefined;
  beforeAll(async () => {
    devices = await VirtualDevices.start();
    const started = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn']);
    relay = started;
    port = relayPort(await waitFor('relay banner', () => /Press Ctrl\+C/.test(started.stdout()) && started.stdout(), 15_000));
  });
  afterAll(() => {
    relay?.child.kill('SIGKILL');
  });
  return {
    get port() {
      return port;
    },
    get devices() {
      if (!devices) throw new Error('the call rig is used before its beforeAll ran');
      return devices;
    },
  };
}

/** The private PulseAudio daemon, and the modules a test loads into it (unloadAll removes them, last first). */
export class VirtualDevices {
  private readonly modules: string[] = [];

  private constructor(readonly env: Record<string, string>) {}

  static async start(): Promise<VirtualDevices> {
    return new VirtualDevices(await useVirtualAudio());
  }

  async pactl(...args: string[]): Promise<string> {
    return (await run('pactl', args, { env: { ...process.env, ...this.env } })).stdout.trim();
  }

  async load(module: string, ...args: string[]): Promise<string> {
    const id = await this.pactl('load-module', module, ...args);
    this.modules.push(id);
    return id;
  }

  /** A null sink: what is played into it comes out of `${name}.monitor`. */
  nullSink(name: string): Promise<string> {
    return this.load('module-null-sink', `sink_name=${name}`, 'rate=48000');
  }

  async unloadAll(): Promise<void> {
    for (const id of this.modules.splice(0).reverse()) await this.pactl('unload-module', id).catch(() => undefined);
  }
}

/**
 * `parley join` on PulseAudio devices of its own, as on someone's computer (libpulse reads PULSE_SOURCE and
 * PULSE_SINK); resolves once it has joined.
 */
export async function joinOnDevices(
  devices: VirtualDevices,
  port: number,
  room: string,
  name: string,
  device: { microphone: string; speaker: string },
  flags: readonly string[],
): Promise<ParleyProcess> {
  const client = runParley(['join', `127.0.0.1:${port}`, '--room', room, '--name', name, '--input', 'default', '--output', 'default', '--duration', '60', '--stats-every', '1', ...flags], {
    ...devices.env,
    PULSE_SOURCE: device.microphone,
    PULSE_SINK: device.speaker,
  });
  await joined(client, room);
  return client;
}

/** `parley join` on WAV files; resolves once it has joined, which is when its input starts playing. */
export async function joinOnFiles(port: number, room: string, name: string, files: { input: string; output: string }, seconds: number, flags: readonly string[]): Promise<ParleyProcess> {
  const client = runParley(['join', `127.0.0.1:${port}`, '--room', room, '--name', name, '--input', files.input, '--output', files.output, '--duration', String(seconds), '--stats-every', '1', ...flags]);
  await joined(client, room);
  return client;
}

async function joined(client: ParleyProcess, room: string): Promise<void> {
  await waitFor(`joined ${room}`, () => client.stdout().includes(`joined ${room}`) || client.child.exitCode !== null, 20_000);
  if (!client.stdout().includes(`joined ${room}`)) throw new Error(`the client did not join ${room}:\n${client.stdout()}${client.stderr()}`);
}

/** Everything the clients printed, for a failing test to show. */
export function transcript(clients: Readonly<Record<string, ParleyProcess>>): string {
  return Object.entries(clients)
    .map(([who, client]) => `--- ${who} said:\n${client.stdout()}${client.stderr()}`)
    .join('\n');
}

export function killAll(clients: Readonly<Record<string, ParleyProcess>>): void {
  for (const client of Object.values(clients)) client.child.kill('SIGKILL');
}

/**
 * How recognisable `sent`, placed at `at`, is in `heard`: the median over its voiced 200 ms segments of the
 * phase-blind spectral score. Each segment is searched for within ±100 ms: under load the listener's jitter buffer
 * stretches and compresses, and within one sentence we measured its speech slip by up to 100 ms.
 */
export function recognisability(heard: Float32Array, sent: Float32Array, at: number): number {
  return matchSegments(heard, sent, at, { scorer: spectralScorer(), searchStep: 48, searchMs: 100 }).medianCorrelation;
}
