import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const repo = new URL('../..', import.meta.url).pathname;
const docker = (...args: string[]): { ok: boolean; out: string } => {
  const run = spawnSync('docker', args, { cwd: repo, encoding: 'utf8', timeout: 15 * 60_000 });
  return { ok: run.status === 0, out: `${run.stdout ?? ''}${run.stderr ?? ''}` };
};
const daemon = docker('info').ok;

describe('the relay image (Dockerfile)', () => {
  it('builds, runs `parley relay` as a user other than root, and answers --help', (context) => {
    if (!daemon) return context.skip('no Docker daemon here (`docker info` failed): the image is not built');
    const build = docker('build', '--tag', 'parley-relay:test', '.');
    expect(build.ok, build.out).toBe(true);
    expect(docker('image', 'inspect', '--format', '{{.Config.User}}', 'parley-relay:test').out.trim()).toBe('node');
    const help = docker('run', '--rm', 'parley-relay:test', '--help');
    expect(help.out).toContain('--drain-timeout <seconds>');
    expect(help.out).toContain('--agones');
  }, 15 * 60_000);
});
