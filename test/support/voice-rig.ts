import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import type { AudioInput, AudioOutput } from '../../electron/audio/index.js';
import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import { VoiceClient } from '../../electron/client/voice-client.js';
import { floatToInt16, SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import type { PeerReceiveStats } from '../../electron/engine/receive/receive-stats.js';
import { DEFAULT_SEND_SETTINGS, type SendPipelineSettings } from '../../electron/engine/send/send-pipeline.js';
import type { RelayHandle, RelayOptions } from '../../server/index.js';
import { relayOnLoopback, waitFor } from '../helpers/relay.js';
import { UdpProxy, type Impairment } from './udp-proxy.js';

/** Every rig room's secret; a client outside the rig (another process) joins with it too. */
export const RIG_SECRET = 'rig';

/**
 * A room on a real relay on loopback, with clients whose microphones and
 * speakers are WAV files, optionally each behind its own impairment proxy:
 * the engine end to end, as the impairment tests and `npm run bench:engine` use it.
 */
export class VoiceRig {
  readonly dir = mkdtempSync(join(tmpdir(), 'parley-rig-'));
  private readonly clients: VoiceClient[] = [];
  private readonly proxies: UdpProxy[] = [];
  private silentPath: string | undefined;

  private constructor(readonly relay: RelayHandle) {}

  static async start(relay: RelayOptions = {}): Promise<VoiceRig> {
    return new VoiceRig(await relayOnLoopback(relay));
  }

  /** A client in `room`; with `network`, its datagrams (both ways) pass through a seeded impairment proxy. */
  async join(options: {
    name: string;
    room?: string;
    input?: AudioInput;
    output?: AudioOutput;
    send?: Partial<SendPipelineSettings>;
    /** As if an earlier call to this relay had ended on a lossy link (VoiceClient's `expectLoss`). */
    expectLoss?: boolean;
    network?: { seed: number; toRelay?: Impairment; toClient?: Impairment };
  }): Promise<{ client: VoiceClient; proxy: UdpProxy | undefined }> {
    const target = { host: '127.0.0.1', port: this.relay.address.port };
    const proxy = options.network ? await UdpProxy.start({ target, ...options.network }) : undefined;
    if (proxy) this.proxies.push(proxy);
    const room = options.room ?? 'lobby';
    const client = await VoiceClient.start({
      session: { relay: { host: '127.0.0.1', port: proxy?.port ?? target.port }, room, name: options.name, secret: RIG_SECRET },
      input: options.input ?? this.silentInput(),
      // Named by room too: runs sharing a rig have clients of the same name, which must not record into one file.
      output: options.output ?? new WavFileSink({ path: join(this.dir, `${room}-${options.name}-hears.wav`) }),
      send: { ...DEFAULT_SEND_SETTINGS, ...options.send },
      expectLoss: options.expectLoss,
      cueSounds: false,
    });
    this.clients.push(client);
    return { client, proxy };
  }

  /** A microphone that hears nothing, for as long as the room runs. */
  silentInput(): WavFileSource {
    this.silentPath ??= this.writeWav('silence', new Float32Array(SAMPLE_RATE * 10));
    return new WavFileSource({ path: this.silentPath, loop: true });
  }

  /** Writes 48 kHz mono 16-bit audio into the rig's folder; returns its path. */
  writeWav(name: string, samples: Float32Array): string {
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, SAMPLE_RATE, '16', floatToInt16(samples));
    const path = join(this.dir, `${name}.wav`);
    writeFileSync(path, wav.toBuffer());
    return path;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.clients.splice(0).map((client) => client.leave()));
    await Promise.allSettled(this.proxies.splice(0).map((proxy) => proxy.close()));
    await this.relay.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `listener`'s receive stats for the peer called `name`, once its receive path exists. */
export function statsOf(listener: VoiceClient, name: string): PeerReceiveStats | undefined {
  return listener.snapshot().peers.find((peer) => peer.name === name)?.stats ?? undefined;
}

/** Waits until `listener` has a receive path for `name`. */
export async function hears(listener: VoiceClient, name: string, timeoutMs = 5_000): Promise<void> {
  await waitFor(`${name}'s receive path`, () => statsOf(listener, name) !== undefined, timeoutMs);
}

/** Resolves when a WAV source has played its last block. */
export function ended(source: WavFileSource): Promise<void> {
  return new Promise((resolve) => source.once('end', () => resolve()));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
