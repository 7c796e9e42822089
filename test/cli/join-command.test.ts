import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import type { RelayHandle } from '../../server/index.js';
import { SAMPLE_RATE, floatToInt16 } from '../../electron/engine/audio-format.js';
import type { RelaySession } from '../../electron/net/session.js';
import { joinRelay, relayOnLoopback, waitFor } from '../helpers/relay.js';
import { concatSamples, sine } from '../support/signals.js';
import { noise } from '../support/noise-signals.js';
import { runParley, type ParleyProcess } from './run-parley.js';

/** Writes 48 kHz mono 16-bit audio to a fresh folder; returns its path. */
function writeWav(name: string, samples: Float32Array): string {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, SAMPLE_RATE, '16', floatToInt16(samples));
  const path = join(mkdtempSync(join(tmpdir(), 'parley-join-')), `${name}.wav`);
  writeFileSync(path, wav.toBuffer());
  return path;
}

/** What a crash prints: a stack frame line. */
const STACK_FRAME = /^\s+at /m;

describe('parley join (the command)', () => {
  const children: ParleyProcess[] = [];
  const sessions: RelaySession[] = [];
  let relay: RelayHandle | undefined;
  afterEach(async () => {
    for (const run of children.splice(0)) run.child.kill('SIGKILL');
    await Promise.all(sessions.splice(0).map((session) => session.leave()));
    await relay?.close();
    relay = undefined;
  });

  it('refuses bad options naming each as typed, with what it allows, and exit code 1', async () => {
    const run = runParley(['join', '127.0.0.1:9', '--name', 'Bot', '--duration', 'soon', '--frame-ms', '7', '--bitrate', '8', '--stats-every', '0']);
    children.push(run);
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe(
      [
        'parley: --duration: must be a number of seconds above 0',
        'parley: --frame-ms: must be 10, 20 or 40',
        'parley: --bitrate: must be a whole number from 16 to 64',
        'parley: --stats-every: must be a number of seconds above 0',
        '',
      ].join('\n'),
    );
  });

  it('refuses an empty secret, from an invite link or --secret, rather than join unencrypted', async () => {
    relay = await relayOnLoopback();
    const port = relay.address.port;
    const cases: [string[], string][] = [
      [[`parley://127.0.0.1:${port}/Room#secret=`], 'parley: That invite link has an empty secret, so the room would not be encrypted: ask for the link again, copied whole.\n'],
      [[`127.0.0.1:${port}`, '--secret', ''], 'parley: --secret: must not be empty: an empty secret leaves the room unencrypted (leave the option out for that)\n'],
    ];
    const quiet = writeWav('quiet', new Float32Array(SAMPLE_RATE));
    for (const [args, stderr] of cases) {
      const run = runParley(['join', ...args, '--name', 'Bot', '--input', quiet, '--output', join(quiet, '..', 'heard.wav'), '--duration', '0.5']);
      children.push(run);
      expect(await run.exited()).toBe(1);
      expect(run.stderr()).toBe(stderr);
    }
    expect(relay.stats().joins).toBe(0);
  });

  it('checks its input and output files before joining: the room never sees a bad one come and go', async () => {
    relay = await relayOnLoopback();
    const quiet = writeWav('quiet', new Float32Array(SAMPLE_RATE));
    const notAudio = join(quiet, '..', 'notes.wav');
    writeFileSync(notAudio, 'this is not audio');
    const unwritable = join(quiet, '..', 'no-such-folder', 'heard.wav');
    const cases: [string[], RegExp][] = [
      [['--input', notAudio, '--output', join(quiet, '..', 'heard.wav')], /^parley: --input: Audio file ".*notes\.wav" cannot be played: not a readable WAV file \(.*\)\.\n$/],
      [['--input', quiet, '--output', unwritable], /^parley: --output: Audio file ".*no-such-folder\/heard\.wav" was not found \(ENOENT: .*\)\.\n$/],
    ];
    for (const [files, stderr] of cases) {
      const run = runParley(['join', `127.0.0.1:${relay.address.port}`, '--name', 'Bot', ...files]);
      children.push(run);
      expect(await run.exited()).toBe(1);
      expect(run.stderr()).toMatch(stderr);
      expect(run.stdout()).toBe('');
    }
    expect(relay.stats().joins).toBe(0);
  });

  it('stops reporting itself as talking when its input file ends: to the room, and in its stats line', async () => {
    relay = await relayOnLoopback();
    // A quiet room for the voice detector to learn, then a tone it takes for speech, to the end of the file.
    const tone = writeWav('tone', concatSamples([noise(1, 0.001), sine(440, 1, 0.3)]));
    const ana = await joinRelay(relay, { room: 'Lobby', name: 'Ana' });
    sessions.push(ana);
    const run = runParley(['join', `127.0.0.1:${relay.address.port}`, '--name', 'Bot', '--input', tone, '--output', join(tone, '..', 'heard.wav'), '--stats-every', '0.1']);
    children.push(run);
    const botTalking = (): boolean | undefined => ana.peers.find((peer) => peer.name === 'Bot')?.flags.talking;
    await waitFor('Bot talking', () => botTalking() === true, 15_000);
    // The file ends mid-tone: the flag falls at once, not after some later block that never comes.
    await waitFor('Bot no longer talking', () => botTalking() === false, 3_000);

    // Our own part of each stats line, "talking -13" or "quiet -100", in order.
    const selfParts = (): string[] => [...run.stdout().matchAll(/\| (talking|quiet) \| level (-?\d+) dB/g)].map((match) => `${match[1]} ${match[2]}`);
    const afterTalking = (): string[] | undefined => {
      const parts = selfParts();
      const last = parts.findLastIndex((part) => part.startsWith('talking'));
      return last >= 0 && parts.length - last > 5 ? parts.slice(last + 1) : undefined;
    };
    const after = await waitFor('five stats lines after the last one that says talking', afterTalking, 3_000);
    expect(after).toEqual(new Array<string>(after.length).fill('quiet -100'));
  });

  it('says which room it joins when neither the link nor --room names one', async () => {
    relay = await relayOnLoopback();
    const port = relay.address.port;
    const quiet = writeWav('quiet', new Float32Array(SAMPLE_RATE));
    const files = ['--input', quiet, '--output', join(quiet, '..', 'heard.wav'), '--duration', '0.3'];
    const lines = async (args: string[]): Promise<string[]> => {
      const run = runParley(['join', ...args, '--name', 'Bot', ...files]);
      children.push(run);
      expect(await run.exited()).toBe(0);
      // Without the time stamps.
      return run.stdout().split('\n').slice(0, 2).map((line) => line.slice(11));
    };
    const defaulted = 'no room named: joining Lobby, the default (--room names another)';
    expect(await lines([`parley://127.0.0.1:${port}`])).toEqual([defaulted, `joined Lobby on 127.0.0.1:${port} as Bot (not encrypted)`]);
    expect(await lines([`127.0.0.1:${port}`])).toEqual([defaulted, `joined Lobby on 127.0.0.1:${port} as Bot (not encrypted)`]);
    expect((await lines([`parley://127.0.0.1:${port}/Ops`]))[0]).toBe(`joined Ops on 127.0.0.1:${port} as Bot (not encrypted)`);
    expect((await lines([`parley://127.0.0.1:${port}`, '--room', 'Ops']))[0]).toBe(`joined Ops on 127.0.0.1:${port} as Bot (not encrypted)`);
  });

  it('lists who is already in the room as here, not as joining', async () => {
    relay = await relayOnLoopback();
    const ana = await joinRelay(relay, { room: 'Ops', name: 'Ana' });
    sessions.push(ana);
    const quiet = writeWav('quiet', new Float32Array(SAMPLE_RATE));
    const run = runParley(['join', `127.0.0.1:${relay.address.port}`, '--room', 'Ops', '--name', 'Bot', '--input', quiet, '--output', join(quiet, '..', 'heard.wav'), '--duration', '0.3']);
    children.push(run);
    expect(await run.exited()).toBe(0);
    const lines = run.stdout().split('\n').map((line) => line.slice(11));
    expect(lines.slice(0, 2)).toEqual([`joined Ops on 127.0.0.1:${relay.address.port} as Bot (not encrypted)`, '  Ana is here']);
    expect(lines).not.toContain('+ Ana joined');
  });

  it('prints an IPv6 relay’s address in brackets', async () => {
    relay = await relayOnLoopback({ host: '::1' });
    const quiet = writeWav('quiet', new Float32Array(SAMPLE_RATE));
    const run = runParley(['join', `[::1]:${relay.address.port}`, '--name', 'Six', '--input', quiet, '--output', join(quiet, '..', 'heard.wav')]);
    children.push(run);
    const line = await waitFor('the join line', () => /joined .*\n/.exec(run.stdout())?.[0], 15_000);
    expect(line).toBe(`joined Lobby on [::1]:${relay.address.port} as Six (not encrypted)\n`);
  });

  it('leaves the room at once, cleanly, when its stdout is closed (`parley join … | head -1`)', async () => {
    relay = await relayOnLoopback();
    const quiet = writeWav('quiet', new Float32Array(SAMPLE_RATE * 10));
    const run = runParley(['join', `127.0.0.1:${relay.address.port}`, '--name', 'Bot', '--input', quiet, '--output', join(quiet, '..', 'heard.wav'), '--stats-every', '0.1']);
    children.push(run);
    await waitFor('the join line', () => /joined Lobby/.test(run.stdout()), 15_000);
    expect(relay.stats().members).toBe(1);

    // What `head -1` does after its line: close the pipe's reading end. The next stats line meets EPIPE.
    run.child.stdout.destroy();
    expect(await run.exited()).toBe(0);
    // A LEAVE, not the 15 s member timeout: the relay has let the member go by the time the process is gone.
    await waitFor('the member to leave', () => relay!.stats().members === 0, 1_000);
    expect(relay.stats()).toMatchObject({ joins: 1, leaves: 1, timeouts: 0 });
    expect(run.stderr()).not.toMatch(/EPIPE/);
    expect(run.stderr()).not.toMatch(STACK_FRAME);
  });
});
