import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import type { RelayHandle } from '../../server/index.js';
import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import { VoiceClient } from '../../electron/client/voice-client.js';
import { DEFAULT_SEND_SETTINGS } from '../../electron/engine/send/send-pipeline.js';
import { bestAlignment, readWavMono } from '../audio/helpers/signal.js';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { relayOnLoopback, waitFor } from '../helpers/relay.js';
import { matchSegments } from '../support/audio-compare.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'parley-voice-'));

/** A short silent WAV, looped as a microphone that hears nothing. */
function silentWav(dir: string): string {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 48_000, '16', new Int16Array(48_000 * 30));
  const path = join(dir, 'silence.wav');
  writeFileSync(path, wav.toBuffer());
  return path;
}

describe('voice client through a relay, with WAV files as devices', () => {
  let relay: RelayHandle | undefined;
  const clients: VoiceClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.leave()));
    await relay?.close();
  });

  it('carries speech from one client’s microphone to the other’s speaker, recognisably', async () => {
    relay = await relayOnLoopback();
    const dir = scratch();
    const heardByBen = join(dir, 'ben-hears.wav');
    const source = new WavFileSource({ path: SPEECH_WAV, leadingSilenceMs: 500 });
    const session = (name: string) => ({ relay: { host: '127.0.0.1', port: relay!.address.port }, room: 'lobby', name, secret: 'shh' });
    const ben = await VoiceClient.start({
      session: session('Ben'),
      input: new WavFileSource({ path: silentWav(dir) }),
      output: new WavFileSink({ path: heardByBen }),
      send: DEFAULT_SEND_SETTINGS,
      cueSounds: false,
    });
    clients.push(ben);
    // Both WAV endpoints start at the end of start(): the moments bound when Ben's recording and Ana's speech began.
    const benStartedAt = performance.now();
    const ended = new Promise<void>((resolve) => source.once('end', () => resolve()));
    const ana = await VoiceClient.start({
      session: session('Ana'),
      input: source,
      output: new WavFileSink({ path: join(dir, 'ana-hears.wav') }),
      send: DEFAULT_SEND_SETTINGS,
      cueSounds: false,
    });
    clients.push(ana);
    const anaStartedAt = performance.now();
    await waitFor('Ben sees Ana', () => ben.snapshot().peers.some((p) => p.name === 'Ana'));
    let sawTalking = false;
    let peakDownlinkKbps = 0;
    const watch = setInterval(() => {
      const anaHere = ben.snapshot().peers.find((p) => p.name === 'Ana');
      if (anaHere?.talking) sawTalking = true;
      peakDownlinkKbps = Math.max(peakDownlinkKbps, anaHere?.downlinkKbps ?? 0);
    }, 20);
    await ended;
    await new Promise((resolve) => setTimeout(resolve, 600));
    clearInterval(watch);
    const anaStats = ben.snapshot().peers.find((p) => p.name === 'Ana')!.stats!;
    await ben.leave();

    const sent = readWavMono(SPEECH_WAV).samples;
    const heard = readWavMono(heardByBen).samples;
    const { lag } = bestAlignment(heard, sent);
    const match = matchSegments(heard, sent, lag);
    expect(sawTalking).toBe(true);
    // Opus at 24 kbit/s VBR, over 3 s that may include a pause: well above DTX's ~1 and below the 64 cap.
    expect(peakDownlinkKbps).toBeGreaterThan(15);
    expect(peakDownlinkKbps).toBeLessThan(40);
    // Opus at 24 kbit/s keeps a voiced 200 ms segment's waveform correlation near 0.9; noise or silence would be near 0.
    expect(match.segments).toBeGreaterThan(10);
    expect(match.medianCorrelation).toBeGreaterThan(0.8);
    // Mouth to ear: where the speech sits in Ben's recording, less when Ana started speaking into hers. A sanity
    // bound only (it includes start-up timing and whatever else the machine is doing); `npm run bench:engine` measures it.
    const mouthToEarMs = lag / 48 - 500 - (anaStartedAt - benStartedAt);
    expect(mouthToEarMs).toBeGreaterThan(20);
    expect(mouthToEarMs).toBeLessThan(1000);
    expect(anaStats.lostPct).toBe(0);
    expect(anaStats.malformed).toBe(0);
  });
});
