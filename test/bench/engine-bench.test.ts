import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A smoke test of the engine benchmark in its quick mode: its output contract, not the engine's performance. */
describe('bench:engine harness', () => {
  it('prints one well-formed JSON line per case and nothing else on stdout', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/engine/run.ts', '--quick'], { cwd: REPO_ROOT, timeout: 150_000 });
    const lines = stdout.split('\n').filter((line) => line !== '');
    const results = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // Latency at 20 and 10 ms frames; cpu and its floor; bitrate talking and three silent variants; quality at one condition, RED on and off;
    // the echo canceller at 80 and 250 ms.
    expect(results.map((r) => r.case)).toEqual(['latency', 'latency', 'cpu', 'cpu-floor', 'bitrate', 'bitrate', 'bitrate', 'bitrate', 'quality', 'quality', 'aec', 'aec']);
    const number = expect.any(Number);
    expect(results[0]).toMatchObject({ frameMs: 20, p50Ms: number, p95Ms: number });
    expect(results[1]).toMatchObject({ frameMs: 10, p50Ms: number, p95Ms: number });
    for (const latency of results.slice(0, 2)) expect(latency.found).toBeGreaterThan(0);
    expect(results[2]).toMatchObject({ talkersHeard: 4, peersHeard: 4, cpuPct: number, rssMb: number, loopDelayP99Ms: number });
    expect(results[3]).toMatchObject({ talkersHeard: 4, cpuPct: number, cpuSystemPct: number });
    // Four talkers at 50 datagrams/s over the quick window (2 s): nearly all of 400 arrive.
    expect(results[3]!.datagramsReceived).toBeGreaterThan(300);
    for (const bitrate of results.slice(4, 8)) expect(bitrate).toMatchObject({ payloadKbps: number, wireKbps: number });
    expect(results.slice(4, 8).map((r) => r.mode)).toEqual(['talking', 'silent', 'silent', 'silent']);
    expect(results.slice(8, 10).map((r) => r.red)).toEqual(['on', 'off']);
    for (const quality of results.slice(8, 10)) {
      expect(quality).toMatchObject({ lossPct: 10, medianCorrelation: number, lowDecileCorrelation: number, lost: number, recoveredByRed: number });
    }
    expect(results.slice(10).map((r) => r.delayMs)).toEqual([80, 250]);
    for (const aec of results.slice(10)) expect(aec).toMatchObject({ erleDb: number, convergenceMs: number, costPerFrameMs: number, estimatedDelayMs: aec.delayMs });
  }, 180_000);
});
