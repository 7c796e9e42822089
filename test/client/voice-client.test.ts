import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import type { RelayHandle } from '../../server/index.js';
import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import { VoiceClient } from '../../electron/client/voice-client.js';
import { OpusFrameDecoder } from '../../electron/engine/receive/opus-frame-decoder.js';
import { SPLICE_SAMPLES } from '../../electron/engine/receive/playout.js';
import { PeerReceiver } from '../../electron/engine/receive/peer-receiver.js';
import { unpackPacket } from '../../electron/engine/receive/unpack.js';
import { DEFAULT_SEND_SETTINGS } from '../../electron/engine/send/send-pipeline.js';
import { timestampDelta } from '../../server/protocol/rtp.js';
import { bestAlignment, readWavMono } from '../audio/helpers/signal.js';
import { voicedSignal } from '../engine/receive/support/signals.js';
import { firstMismatch, silentBetween } from '../engine/receive/support/receivers.js';
import { play } from '../engine/receive/support/stream.js';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { collectMedia, joinRelay, relayOnLoopback, waitFor } from '../helpers/relay.js';
import { matchSegments } from '../support/audio-compare.js';
import { SimulatedCall } from '../support/simulated-call.js';
import { RIG_SECRET, statsOf, VoiceRig } from '../support/voice-rig.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'parley-voice-'));

/** A short silent WAV, looped as a microphone that hears nothing. */
function silentWav(dir: string): string {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 48_000, '16', new Int16Array(48_000 * 30));
  const path = join(dir, 'silence.wav');
  writeFileSync(path, wav.toBuffer());
  return path;
}

describe('voice client on a simulated clock and network, through a relay', () => {
  it.each([0, 30])(
    'plays the other’s speech exactly as a plain Opus decoder does, 671 samples (14 ms) plus the network’s %i ms after it was said',
    async (networkMs) => {
      const voice = voicedSignal(1500);
      const speaking = { ...DEFAULT_SEND_SETTINGS, activation: 'continuous' as const };
      // Ana's media reaches the relay `networkMs` of simulated time after she sends it.
      const call = await SimulatedCall.start({ voice, networkMs, send: speaking });
      const { benSpeaker, ben } = call;
      try {
        await call.run();
        const decoded = await call.plainDecoding();

        // Mouth to ear, exactly: see engineDelaySamples. What a listener hears adds Opus's own 6.5 ms look-ahead
        // (inside `decoded`) and the devices' buffers.
        const heard = benSpeaker.recording;
        const start = call.engineDelaySamples;
        expect(start).toBe(671 + networkMs * 48);
        expect(silentBetween(heard, 0, start)).toBe(true);
        // From there it is Ana's stream as a plain decoder plays it, to the sample (past the 2.5 ms fade-in).
        const compared = heard.length - start - SPLICE_SAMPLES;
        expect(compared).toBeGreaterThan(60_000);
        expect(firstMismatch(heard, start + SPLICE_SAMPLES, decoded, SPLICE_SAMPLES, compared)).toBe(-1);
        expect(statsOf(ben, 'Ana')).toMatchObject({ lost: 0, late: 0, concealedPct: 0, timeCompressedMs: 0, timeStretchedMs: 0, targetDelayMs: 20 });
      } finally {
        await call.close();
      }
    },
  );
});

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
    // Mouth to ear: where the speech sits in Ben's recording, less when Ana started speaking into hers. A smoke
    // bound only (it includes start-up timing and whatever else the machine is doing): the exact figure is the
    // simulated-clock test below, and `npm run bench:engine` measures it on devices.
    const mouthToEarMs = lag / 48 - 500 - (anaStartedAt - benStartedAt);
    expect(mouthToEarMs).toBeGreaterThan(20);
    expect(mouthToEarMs).toBeLessThan(1000);
    expect(anaStats.lostPct).toBe(0);
    expect(anaStats.malformed).toBe(0);
  });

  it('ends a talkspurt in progress when the talker leaves: the listener gets the end-of-talk marker and conceals no tail', async () => {
    const rig = await VoiceRig.start();
    const ben = await joinRelay(rig.relay, { room: 'lobby', name: 'Ben', secret: RIG_SECRET });
    try {
      const arrivals = collectMedia(ben);
      // A voice with no pauses, transmitted continuously: whenever Ana leaves, she is mid-sentence.
      const voice = new WavFileSource({ path: rig.writeWav('voice', voicedSignal(2000)), loop: true });
      const { client: ana } = await rig.join({ name: 'Ana', input: voice, send: { activation: 'continuous' } });
      await waitFor('half a second of Ana’s speech at Ben', () => arrivals.length >= 25);
      await ana.leave();
      await waitFor('Ben sees Ana leave', () => ben.peers.length === 0);
      await new Promise((resolve) => setTimeout(resolve, 100)); // nothing is still on its way

      const last = unpackPacket(arrivals.at(-1)!);
      expect(last.ok && last.endOfTalkspurt).toBe(true);
      expect(arrivals.filter((arrival) => arrival.payload.length === 0)).toHaveLength(1);

      // Played back over a perfect network (each packet 30 ms after its frame is complete), the stream ends at
      // the marker: not one sample of concealment, nothing lost.
      const start = arrivals[0]!.timestamp;
      const onTime = arrivals.map((arrival) => ({ ...arrival, arrivalMs: 1000 + timestampDelta(start, arrival.timestamp) / 48 + 20 + 30 }));
      const receiver = new PeerReceiver(await OpusFrameDecoder.create());
      const endMs = onTime.at(-1)!.arrivalMs + 500;
      play(receiver, onTime, 1000, 1000 + Math.ceil((endMs - 1000) / 10) * 10);
      expect(receiver.stats()).toMatchObject({ packetsReceived: arrivals.length, lost: 0, late: 0, concealedPct: 0, talking: false });
      receiver.close();
    } finally {
      await ben.leave();
      await rig.close();
    }
  });
});
