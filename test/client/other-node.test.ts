/**
 * `parley relay` and `parley join` on the other Node lines an operator may run them on. The suite
 * itself runs on Node 24 (the line Electron bundles); CI also installs the newest line and names its
 * binary in PARLEY_SMOKE_NODES (colon-separated paths), and each gets this conversation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bestAlignment, readWavMono } from '../audio/helpers/signal.js';
import { relayPort, runParley, type ParleyProcess } from '../cli/run-parley.js';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { waitFor } from '../helpers/relay.js';
import { matchSegments } from '../support/audio-compare.js';

const nodes = (process.env.PARLEY_SMOKE_NODES ?? '').split(':').filter((path) => path !== '');

describe.skipIf(nodes.length === 0)('parley relay and parley join on other Node lines (PARLEY_SMOKE_NODES)', () => {
  const processes: ParleyProcess[] = [];
  afterEach(() => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL');
  });

  it.each(nodes)('on %s: the relay serves two clients and the speech arrives', async (node) => {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    const relay = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'], {}, [], node);
    processes.push(relay);
    const port = relayPort(await waitFor(`relay banner on Node ${version}`, () => /Press Ctrl\+C/.test(relay.stdout()) && relay.stdout(), 15_000));

    const dir = mkdtempSync(join(tmpdir(), 'parley-other-node-'));
    const heard = join(dir, 'ben-hears.wav');
    const join_ = (name: string, input: string, output: string, seconds: string): ParleyProcess =>
      runParley(['join', `127.0.0.1:${port}`, '--room', 'smoke', '--name', name, '--secret', 's', '--input', input, '--output', output, '--duration', seconds], {}, [], node);
    const listener = join_('Ben', SPEECH_WAV, heard, '8');
    processes.push(listener);
    await waitFor('Ben joined', () => /joined smoke on 127\.0\.0\.1:\d+ as Ben \(encrypted\)/.test(listener.stdout()), 15_000);
    const talker = join_('Ana', SPEECH_WAV, join(dir, 'ana-hears.wav'), '6.5');
    processes.push(talker);
    expect(await talker.exited()).toBe(0);
    expect(await listener.exited()).toBe(0);
    expect(listener.stdout()).toMatch(/\+ Ana joined\n[\s\S]*- Ana left\n/);
    expect(relay.stderr()).toBe('');

    const sent = readWavMono(SPEECH_WAV).samples;
    const received = readWavMono(heard).samples;
    const match = matchSegments(received, sent, bestAlignment(received, sent).lag);
    expect(match.segments).toBeGreaterThan(10);
    expect(match.medianCorrelation).toBeGreaterThan(0.8);
  }, 40_000);
});
