import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RESULT_FIELDS } from '../../bench/relay/case-spec.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A smoke test of the benchmark harness at a tiny size: its output contract, not its performance. */
describe('bench:relay harness', () => {
  it('runs one small case and prints exactly one JSON line with the agreed fields', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/relay/run.ts', '--members', '20', '--rooms', '2', '--seconds', '2', '--warmup', '1', '--quiet-wait', '0', '--retries', '0'],
      { cwd: REPO_ROOT, timeout: 120_000 },
    );
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual([...RESULT_FIELDS]);
    // Two rooms of ten, one talker each at 50 packets/s: 100 in, each to 9 listeners.
    expect(result).toMatchObject({ bench: 'relay', impl: 'parley', clients: 20, rooms: 2, talkersPerRoom: 1, offeredPps: 100, expectedForwardPps: 900 });
    expect(result.forwardedPps).toBeGreaterThan(0);
    expect(result.lossPct).toBe(0);
    expect(result.forwardedPps).toBe(900);
    // On loopback, with the relay's one worker: no per-worker figures unless the relay reports them.
    expect(result).toMatchObject({ workers: 1, netns: false });
    expect(result.perWorker === null || Array.isArray(result.perWorker)).toBe(true);
    for (const field of ['p50Ms', 'p99Ms', 'maxMs', 'relayCpuPct', 'relayRssMb', 'cpuUsPerForward', 'generatorCpuPct'] as const) expect(result[field]).toEqual(expect.any(Number));
    expect(result.relayRssMb as number).toBeGreaterThan(0);
  }, 150_000);
});
