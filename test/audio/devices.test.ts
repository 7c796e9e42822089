import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveDevice } from '../../electron/audio/device-endpoint.js';
import type { AudioDeviceError } from '../../electron/audio/device-error.js';
import { listAudioDevices, type AudioDeviceInfo } from '../../electron/audio/device-list.js';
import { DeviceMicrophone } from '../../electron/audio/microphone.js';
import { DeviceSpeaker } from '../../electron/audio/speaker.js';
import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { concatSamples } from '../support/signals.js';
import { BlockCollector, nextEvent } from './helpers/events.js';
import { tracePlayback, unexplainedFaults } from './helpers/playback-trace.js';
import { bestAlignment, readWavAt48k, readWavMono } from './helpers/signal.js';
import { CI_AUDIO_SCRIPT, playInto, recordFrom, speak, useVirtualAudio, virtualAudioSkipReason } from './helpers/virtual-audio.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'parley-devices-'));
const speechWav = join(dir, 'speech.wav');
/**
 * What the devices hand back must match what went in after alignment: the
 * normalised cross-correlation is 1 for a perfect copy; PulseAudio's and
 * Parley's resamplers and 16-bit rounding leave it just under (0.99+ measured).
 */
const MIN_NCC = 0.95;
/** 100 ms of silence put before a capture for alignment (see the capture test). */
const LEAD_SAMPLES = 4_800;
/**
 * What one playback underrun may legitimately do to the recording (measured under load, see
 * docs/audio-devices.md): insert digital silence (1 ms shows it), and discard up to 35 ms of what was
 * buffered (the plugin's 15 ms, naudiodon's queue and the chunk on its way); 50 allowed.
 */
const UNDERRUN = { minSilentSamples: 48, maxLostSamples: 2_400 };
/** A pull this long after the one before shows the device (or this process) stalled: they come every 10 ms. */
const STALL_MS = 20;
/** First capture or playout under PulseAudio takes about 1.2 s; allow for a loaded CI machine. */
const FIRST_AUDIO_MS = 8_000;

let speech: Float32Array;
const endpoints: Array<{ stop(): Promise<void> }> = [];

describe.skipIf(virtualAudioSkipReason)(`real devices through PulseAudio${virtualAudioSkipReason ? ` [skipped: ${virtualAudioSkipReason}]` : ''}`, () => {
  beforeAll(async () => {
    await useVirtualAudio();
    await speak('Parley carries your voice to your friends, clearly and quickly.', speechWav);
    speech = await readWavAt48k(speechWav);
  });

  afterEach(async () => {
    await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.stop()));
  });

  it('ci-audio.sh start is idempotent and sets the virtual devices as defaults', async () => {
    const first = await run(CI_AUDIO_SCRIPT, ['start']);
    const second = await run(CI_AUDIO_SCRIPT, ['start']);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/reusing the daemon/);
    const { stdout } = await run('pactl', ['info']);
    expect(stdout).toMatch(/^Default Sink: spk$/m);
    expect(stdout).toMatch(/^Default Source: micsink\.monitor$/m);
  });

  it('lists the PulseAudio devices, with the default marked, and prints no noise while listing', async () => {
    const script = fileURLToPath(new URL('./helpers/list-devices.ts', import.meta.url));
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script]);
    expect(stderr).toBe('');
    const lists = JSON.parse(stdout) as { input: AudioDeviceInfo[]; output: AudioDeviceInfo[] };
    for (const devices of [lists.input, lists.output]) {
      expect(devices.map((d) => d.name).sort()).toEqual(['default', 'pulse']);
      expect(devices.filter((d) => d.isDefault).map((d) => d.name)).toEqual(['default']);
      for (const device of devices) {
        expect(device.hostApi).toBe('ALSA');
        expect(device.channels).toBeGreaterThan(0);
        expect(device.defaultSampleRate).toBeGreaterThan(0);
      }
    }
    // In-process listing agrees with the child's.
    expect(listAudioDevices('input').map((d) => d.name)).toEqual(lists.input.map((d) => d.name));
  });

  for (const formats of [undefined, [{ sampleRate: 44_100, channels: 2 }]]) {
    const label = formats ? 'at 44.1 kHz stereo, converted' : 'at 48 kHz mono';
    it(`captures what is played into the virtual microphone (${label})`, async () => {
      const mic = new DeviceMicrophone({ formats });
      endpoints.push(mic);
      const errors: AudioDeviceError[] = [];
      mic.on('error', (error) => errors.push(error));
      const device = nextEvent<[ActiveDevice]>(mic, 'device', FIRST_AUDIO_MS);
      const collector = new BlockCollector();
      await mic.start(collector.push);
      expect((await device)[0]).toEqual({ name: 'default', format: formats?.[0] ?? { sampleRate: 48_000, channels: 1 }, fallback: false });
      await collector.waitForMore(1, FIRST_AUDIO_MS);
      const from = collector.blocks.length;
      await playInto('micsink', speechWav);
      await collector.waitForMore(50, 5_000);
      await mic.stop();
      expect(collector.blocks.every((block) => block.length === BLOCK_SAMPLES)).toBe(true);
      // The speech file starts with 49 ms of silence, and PulseAudio sometimes delivers it up to
      // ~2 ms short, so the speech can begin just before the first block counted: lead the capture
      // with silence so the alignment may land there (the capture itself then matches at 0.99999).
      const { ncc } = bestAlignment(concatSamples([new Float32Array(LEAD_SAMPLES), collector.joined(from)]), speech);
      expect(ncc).toBeGreaterThanOrEqual(MIN_NCC);
      expect(errors).toEqual([]);
    });

    it(`plays pulled blocks to the virtual speaker (${label})`, async () => {
      const recording = await recordFrom('spk.monitor', join(dir, `played-${formats ? 'converted' : 'native'}.wav`));
      endpoints.push(recording);
      const speaker = new DeviceSpeaker({ formats });
      endpoints.push(speaker);
      const errors: AudioDeviceError[] = [];
      speaker.on('error', (error) => errors.push(error));
      let next = 0;
      const buffered: number[] = [];
      const pulledAt: number[] = [];
      const blocks = Math.ceil(speech.length / BLOCK_SAMPLES);
      let donePulling: () => void = () => {};
      const pulledAll = new Promise<void>((resolve) => (donePulling = resolve));
      // Blocks pulled while PulseAudio starts the stream may be dropped (about 90 ms was seen),
      // as a call's first moments are: lead in with half a second of silence.
      const LEAD_IN = 50;
      await speaker.start(() => {
        const block = new Float32Array(BLOCK_SAMPLES);
        const index = next - LEAD_IN;
        if (index >= 0 && index < blocks) block.set(speech.subarray(index * BLOCK_SAMPLES, (index + 1) * BLOCK_SAMPLES));
        if (++next === LEAD_IN + blocks + 50) donePulling();
        buffered.push(speaker.bufferedMs);
        pulledAt.push(performance.now());
        return block;
      });
      await pulledAll;
      await speaker.stop();
      await recording.stop();
      const recorded = readWavMono(join(dir, `played-${formats ? 'converted' : 'native'}.wav`));
      expect(recorded.sampleRate).toBe(48_000);
      // Every voiced block must be there, in order, as pulled; a loaded machine may make the device underrun
      // (silence inserted, a little audio discarded), which one correlation over the whole speech cannot tell from damage.
      const trace = tracePlayback(recorded.samples, speech, { blockSamples: BLOCK_SAMPLES, minNcc: MIN_NCC });
      // Pull n fetched speech block n - LEAD_IN.
      const stalledBlocks = pulledAt.flatMap((at, pull) => (pull > 0 && at - pulledAt[pull - 1]! >= STALL_MS ? [pull - LEAD_IN] : []));
      expect(unexplainedFaults(trace, { ...UNDERRUN, stalledBlocks })).toEqual([]);
      // Device pacing keeps the queue bounded: at most queueChunks (1) + 2 blocks ever wait.
      expect(Math.max(...buffered)).toBeLessThanOrEqual(30);
      expect(errors).toEqual([]);
    });
  }

  it('reports a missing microphone as notFound and falls back to the default one', async () => {
    const mic = new DeviceMicrophone({ device: 'Parley Missing Microphone' });
    endpoints.push(mic);
    const error = nextEvent<[AudioDeviceError]>(mic, 'error', FIRST_AUDIO_MS);
    const device = nextEvent<[ActiveDevice]>(mic, 'device', FIRST_AUDIO_MS);
    const collector = new BlockCollector();
    await mic.start(collector.push);
    const [reported] = await error;
    expect(reported.code).toBe('notFound');
    expect(reported.message).toBe(
      'Microphone "Parley Missing Microphone" was not found. Check that it is plugged in, or pick another one in Settings.',
    );
    expect((await device)[0]).toMatchObject({ name: 'default', fallback: true });
    expect(mic.description).toBe('default');
    await collector.waitForMore(10, FIRST_AUDIO_MS);
  });

  it('reports a missing speaker as notFound and falls back to the default one', async () => {
    const speaker = new DeviceSpeaker({ device: 'Parley Missing Speaker' });
    endpoints.push(speaker);
    const error = nextEvent<[AudioDeviceError]>(speaker, 'error', FIRST_AUDIO_MS);
    const device = nextEvent<[ActiveDevice]>(speaker, 'device', FIRST_AUDIO_MS);
    let pulls = 0;
    await speaker.start(() => {
      pulls++;
      return new Float32Array(BLOCK_SAMPLES);
    });
    expect((await error)[0].code).toBe('notFound');
    expect((await device)[0]).toMatchObject({ name: 'default', fallback: true });
    const before = pulls;
    await new Promise((resolve) => setTimeout(resolve, FIRST_AUDIO_MS / 2));
    expect(pulls - before).toBeGreaterThan(10);
  });

  it('rejects start() with formatUnsupported when the device takes none of the formats', async () => {
    const mic = new DeviceMicrophone({ formats: [{ sampleRate: 48_000, channels: 64 }] });
    const failure = await mic.start(() => {}).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'AudioDeviceError', code: 'formatUnsupported' });
    expect((failure as Error).message).toMatch(/^Microphone "default" does not support any audio format Parley can use/);
  });
});
