import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bestAlignment, readWavMono } from '../audio/helpers/signal.js';
import { playInto, recordFrom, speak, useVirtualAudio, virtualAudioSkipReason } from '../audio/helpers/virtual-audio.js';
import { relayPort, runParley, type ParleyProcess } from '../cli/run-parley.js';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { waitFor } from '../helpers/relay.js';
import { matchSegments } from '../support/audio-compare.js';

const run = promisify(execFile);

describe('two headless clients holding a conversation through `parley relay`', () => {
  const processes: ParleyProcess[] = [];
  let port = 0;

  beforeAll(async () => {
    const relay = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn']);
    processes.push(relay);
    port = relayPort(await waitFor('relay banner', () => /Press Ctrl\+C/.test(relay.stdout()) && relay.stdout(), 15_000));
  });

  afterEach(() => {
    for (const p of processes.slice(1)) p.child.kill('SIGKILL');
    processes.splice(1);
  });

  afterAll(() => {
    for (const p of processes) p.child.kill('SIGKILL');
  });

  it('with WAV files: each prints who comes and goes and stats lines, and the speech arrives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const heard = join(dir, 'ben-hears.wav');
    const ben = runParley(['join', `127.0.0.1:${port}`, '--room', 'wav', '--name', 'Ben', '--output', heard, '--input', join(dir, 'none.wav'), '--duration', '1']);
    processes.push(ben);
    expect(await ben.exited()).toBe(1);
    expect(ben.stderr()).toMatch(/--input: no such file: .*none\.wav/);

    // A missing input file is an error; a silent one is what a listener needs.
    const quiet = join(dir, 'quiet.wav');
    await run('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', quiet, 'trim', '0', '10']);
    const listen = runParley(['join', `127.0.0.1:${port}`, '--room', 'wav', '--name', 'Ben', '--secret', 's', '--output', heard, '--input', quiet, '--stats-every', '1', '--duration', '9']);
    processes.push(listen);
    await waitFor('Ben joined', () => /joined wav on 127\.0\.0\.1:\d+ as Ben \(encrypted\)/.test(listen.stdout()), 15_000);
    const talk = runParley(['join', `127.0.0.1:${port}`, '--room', 'wav', '--name', 'Ana', '--secret', 's', '--input', SPEECH_WAV, '--output', join(dir, 'ana-hears.wav'), '--stats-every', '1', '--duration', '7.5']);
    processes.push(talk);
    expect(await talk.exited()).toBe(0);
    expect(await listen.exited()).toBe(0);

    expect(talk.stdout()).toMatch(/joined wav on 127\.0\.0\.1:\d+ as Ana \(encrypted\)\n.* {2}Ben is here\n/);
    expect(talk.stdout()).toMatch(
      /rtt \d+ ms \| up [\d.]+ kbit\/s \| talking \| level -?\d+ dB \| erle – dB ns (acting|idle) agc [+-][\d.]+ dB \| Ben: [\d.]+ kbit\/s loss 0\.0% jitter [\d.]+ ms late 0\.0% buffer \d+ ms/,
    );
    expect(talk.stdout()).toMatch(/leaving \(7\.5 s elapsed\)\n.*left\n$/);
    expect(listen.stdout()).toMatch(/\+ Ana joined\n/);
    expect(listen.stdout()).toMatch(/Ana: [\d.]+ kbit\/s loss 0\.0% jitter [\d.]+ ms late [\d.]+% buffer \d+ ms talking/);
    expect(listen.stdout()).toMatch(/- Ana left\n/);

    const sent = readWavMono(SPEECH_WAV).samples;
    const received = readWavMono(heard).samples;
    const match = matchSegments(received, sent, bestAlignment(received, sent).lag);
    expect(match.segments).toBeGreaterThan(10);
    expect(match.medianCorrelation).toBeGreaterThan(0.8);
  });

  it.skipIf(virtualAudioSkipReason !== undefined)('with real audio devices: speech into one microphone comes out of the other speaker', async () => {
    const env = await useVirtualAudio();
    const pactl = (...args: string[]): Promise<{ stdout: string }> => run('pactl', args, { env: { ...process.env, ...env } });
    // Each client gets its own devices, as two people's computers would: libpulse reads PULSE_SOURCE and PULSE_SINK.
    const modules: string[] = [];
    for (const name of ['ana_out', 'ben_mic']) {
      modules.push((await pactl('load-module', 'module-null-sink', `sink_name=${name}`, 'rate=48000')).stdout.trim());
    }
    try {
      const dir = mkdtempSync(join(tmpdir(), 'parley-devices-'));
      const speech = join(dir, 'speech.wav');
      await speak('Parley carries this sentence from one microphone to the other speaker.', speech);
      const ben = runParley(['join', `127.0.0.1:${port}`, '--room', 'devices', '--name', 'Ben', '--input', 'default', '--output', 'default', '--duration', '30', '--stats-every', '0.5'], {
        ...env,
        PULSE_SOURCE: 'ben_mic.monitor',
        PULSE_SINK: 'spk',
      });
      processes.push(ben);
      // Ana's echo canceller stays off: it passes her voice with its spectrum kept (within 0.6 dB a band) but its phase
      // shifted by the canceller's band filters, which this waveform comparison would read as damage. Cancelling on
      // these devices is measured in echo-devices.test.ts.
      const ana = runParley(['join', `127.0.0.1:${port}`, '--room', 'devices', '--name', 'Ana', '--input', 'default', '--output', 'default', '--duration', '30', '--echo-cancellation', 'off'], {
        ...env,
        PULSE_SOURCE: 'micsink.monitor',
        PULSE_SINK: 'ana_out',
      });
      processes.push(ana);
      // The two join at almost the same time: each either finds the other there or sees them come.
      await waitFor('both joined', () => /Ana is here|\+ Ana joined/.test(ben.stdout()) && /Ben is here|\+ Ben joined/.test(ana.stdout()), 20_000).catch((error: unknown) => {
        throw new Error(`${String(error)}\nBen said:\n${ben.stdout()}${ben.stderr()}\nAna said:\n${ana.stdout()}${ana.stderr()}`);
      });
      // Devices under PulseAudio deliver their first audio about a second after they open.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const recording = join(dir, 'speaker.wav');
      const recorder = await recordFrom('spk.monitor', recording);
      await playInto('micsink', speech);
      await new Promise((resolve) => setTimeout(resolve, 800));
      await recorder.stop();
      ana.child.kill('SIGINT');
      ben.child.kill('SIGINT');
      expect(await ana.exited()).toBe(0);
      expect(await ben.exited()).toBe(0);
      // Ben's stats showed Ana talking while the speech played.
      expect(ben.stdout()).toMatch(/Ana: [\d.]+ kbit\/s loss [\d.]+% jitter [\d.]+ ms late [\d.]+% buffer \d+ ms talking\n/);

      const { samples: heard, sampleRate } = readWavMono(recording);
      expect(sampleRate).toBe(48_000);
      const sent48 = await resampleTo48k(speech, dir);
      const match = matchSegments(heard, sent48, bestAlignment(heard, sent48).lag);
      // Through two real device edges, Opus and the jitter buffer: a voiced 200 ms segment still correlates ~0.8+.
      expect(match.segments).toBeGreaterThan(8);
      expect(match.medianCorrelation).toBeGreaterThan(0.7);
    } finally {
      for (const module of modules) await pactl('unload-module', module).catch(() => undefined);
    }
  }, 60_000);
});

/** espeak-ng speaks at 22.05 kHz; compare at the engine's rate. */
async function resampleTo48k(path: string, dir: string): Promise<Float32Array> {
  const out = join(dir, 'speech-48k.wav');
  await run('sox', [path, '-r', '48000', '-c', '1', '-b', '16', out]);
  return readWavMono(out).samples;
}
