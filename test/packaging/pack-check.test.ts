import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = new URL('../..', import.meta.url).pathname;

describe('packaging (npm run pack:check)', () => {
  it('builds the unpacked Linux app with native modules outside the asar and libportaudio found', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'pack:check'], { cwd: repo, maxBuffer: 64 << 20 });
    const line = stdout.split('\n').find((l) => l.startsWith('{"check":"pack"'));
    expect(line, stdout.slice(-2000)).toBeDefined();
    const result = JSON.parse(line!) as { passed: boolean; failed: string[]; portaudio: string };
    expect(result.failed).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.portaudio).toMatch(/libportaudio\.so\.2 => .*\/resources\/app\.asar\.unpacked\/node_modules\/naudiodon\/build\/Release\/libportaudio\.so\.2/);
  }, 180_000);
});
