import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { virtualAudioSkipReason } from '../audio/helpers/virtual-audio.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A smoke test of the engine benchmark in its quick mode: its output contract, not the engine's performance.
 * The cases' arithmetic is tested exactly beside it, on made-up input and a simulated clock and network
 * (uplink-rate, marker-latency, latency-simulated, stats), so here the figures need only be there.
 */
describe('bench:engine harness', () => {
  it('prints one well-formed JSON line per case and nothing else on stdout', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/engine/run.ts', '--quick'], { cwd: REPO_ROOT, timeout: 200_000 });
    const lines = stdout.split('\n').filter((line) => line !== '');
    const results = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // One variant of each: latency at 20 ms frames; cpu and its floor; bitrate talking and silent; quality at one condition, RED on, off and on auto (with and without a lossy last call);
    // the echo canceller at 80 ms; the noise suppressor at each strength on clean speech and three noises, and its cost; agc;
    // mouth to ear through virtual devices with processing off, where PulseAudio's tools are installed.
    const devices = virtualAudioSkipReason === undefined ? ['mouth-to-ear'] : [];
    expect(results.map((r) => r.case)).toEqual(['latency', 'cpu', 'cpu-floor', 'bitrate', 'bitrate', ...new Array<string>(4).fill('quality'), 'aec', ...new Array<string>(9).fill('ns'), 'agc', ...devices]);
    const number = expect.any(Number);
    expect(results[0]).toMatchObject({ frameMs: 20, p50Ms: number, p95Ms: number });
    expect(results[0]!.found).toBeGreaterThan(0);
    expect(results[1]).toMatchObject({ talkersHeard: 4, peersHeard: 4, cpuPct: number, rssMb: number, loopDelayP99Ms: number });
    expect(results[2]).toMatchObject({ talkersHeard: 4, cpuPct: number, cpuSystemPct: number });
    // Four talkers at 50 datagrams/s over the quick window (2 s): nearly all of 400 arrive.
    expect(results[2]!.datagramsReceived).toBeGreaterThan(300);
    for (const bitrate of results.slice(3, 5)) expect(bitrate).toMatchObject({ payloadKbps: number, wireKbps: number });
    expect(results.slice(3, 5).map((r) => [r.mode, r.activation])).toEqual([
      ['talking', 'voice'],
      ['silent', 'continuous'],
    ]);
    expect(results.slice(5, 7).map((r) => r.red)).toEqual(['on', 'off']);
    for (const quality of results.slice(5, 9)) {
      expect(quality).toMatchObject({ lossPct: 10, medianCorrelation: number, lowDecileCorrelation: number, lost: number, recoveredByRed: number });
      expect(quality).toMatchObject({ unrecoveredPct: number, idealUnrecoveredPct: number, lostFirstHalf: number, lostSecondHalf: number });
    }
    // Depth 1 or, should the few seconds' reports average 15 % loss, 2.
    expect(results.slice(5, 9).map((r) => [r.red, r.expectLoss, Math.min(Number(r.redDepth), 1)])).toEqual([
      ['on', false, 1],
      ['off', false, 0],
      ['auto', false, 1],
      ['auto', true, 1],
    ]);
    expect(results[9]).toMatchObject({ delayMs: 80, erleDb: number, convergenceMs: number, costPerFrameMs: number, estimatedDelayMs: 80 });
    expect(results.slice(10, 18).map((r) => [r.strength, r.noise])).toEqual(
      ['low', 'high'].flatMap((strength) => ['none', 'white 10 dB SNR', 'babble 0 dB SNR', 'fan -40 dBFS'].map((noise) => [strength, noise])),
    );
    expect(results[18]).toMatchObject({ strength: 'high', cpuMsPerBlock: number });
    expect(results[19]).toMatchObject({ sourcesDb: [-40, -30, -20, -6], spreadBeforeDb: 34, spreadAfterDb: number, msPerFrame: number, offMsPerFrame: number });
    if (devices.length > 0) expect(results[20]).toMatchObject({ processing: 'off', markers: 10, found: number, xruns: { talker: number, listener: number } });
  }, 230_000);
});
