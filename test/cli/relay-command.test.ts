import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RelaySession } from '../../electron/net/session.js';
import { defaultWorkerCount } from '../../server/index.js';
import { forwardingLine } from '../../cli/relay-command.js';
import { waitFor } from '../helpers/relay.js';
import { runParley, type ParleyProcess } from './run-parley.js';

const repo = new URL('../..', import.meta.url).pathname;
const recordModules = ['--import', join(repo, 'test/support/record-modules.mjs')];

describe('parley relay (the command)', () => {
  const children: ParleyProcess[] = [];
  afterEach(() => {
    for (const run of children.splice(0)) run.child.kill('SIGKILL');
  });

  it('prints where to join, serves members, says goodbye on Ctrl+C (SIGINT), and loads no audio code', async () => {
    const modulesFile = join(mkdtempSync(join(tmpdir(), 'parley-cli-')), 'modules.txt');
    const run = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--log-format', 'json'], { RECORD_MODULES_FILE: modulesFile, PARLEY_RELAY_PASSWORD: 'pw' }, recordModules);
    children.push(run);
    const banner = await waitFor('startup banner', () => /Press Ctrl\+C to stop\./.test(run.stdout()) && run.stdout(), 15_000);
    const port = Number(/listening on UDP 127\.0\.0\.1:(\d+) \(IPv4\)/.exec(banner)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(banner).toContain(`Friends can join at:\n  127.0.0.1:${port}\n`);
    expect(banner).toContain('Password: required');
    // One worker per core by default, each a thread of the compiled relay with its own socket.
    const cores = defaultWorkerCount();
    expect(banner).toContain(`${forwardingLine(cores, cores)}\n`);
    expect([forwardingLine(1, 1), forwardingLine(2, 2), forwardingLine(1, 4)]).toEqual([
      'Forwarding on 1 worker',
      'Forwarding on 2 workers (one socket each, members spread by address)',
      'Forwarding on 1 worker, not 4: see the log',
    ]);

    const ana = await RelaySession.connect({ relay: { host: '127.0.0.1', port }, room: 'lobby', name: 'Ana', password: 'pw', reconnectDelaysMs: { initial: 10_000, max: 10_000 } });
    const goodbye = new Promise<string>((resolve) => ana.on('status', (s) => s.state === 'reconnecting' && resolve(s.reason)));
    run.child.kill('SIGINT');
    expect(await goodbye).toBe('relayClosed');
    expect(await run.exited()).toBe(0);
    await ana.leave();
    expect(run.stdout()).toMatch(/Parley relay stopped\.\n$/);
    expect(run.stderr()).toMatch(/"msg":"member joined"/);

    const modules = readFileSync(modulesFile, 'utf8');
    expect(modules).toMatch(/server\/relay\/relay\.js/);
    expect(modules).not.toMatch(/naudiodon|opus|wavefile|electron\/engine|electron\/audio|agones-sdk|grpc/);
  });

  it('refuses bad options naming each as typed, with what it allows, and exit code 1', async () => {
    const run = runParley(['relay', '--port', '70000', '--max-members-per-room', '0', '--workers', '17']);
    children.push(run);
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe(
      'parley: --port: must be a whole number from 0 to 65535\nparley: --max-members-per-room: must be a whole number, 1 or more\nparley: --workers: must be a whole number from 1 to 16\n',
    );
  });

  it('says where else it listens (TCP on the same port), and refuses TLS options given apart or a certificate it cannot read', async () => {
    const relay = runParley(['relay', '--host', '127.0.0.1', '--port', '0']);
    children.push(relay);
    const banner = await waitFor('banner', () => /Press Ctrl\+C/.test(relay.stdout()) && relay.stdout(), 15_000);
    const port = Number(/listening on UDP 127\.0\.0\.1:(\d+)/.exec(banner)?.[1]);
    expect(banner).toContain(`Also on TCP port ${port}, for friends whose network blocks UDP\n`);
    const apart = runParley(['relay', '--port', '0', '--tls-port', '4433']);
    const unreadable = runParley(['relay', '--port', '0', '--tls-port', '4433', '--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem']);
    const noTcp = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--no-tcp']);
    children.push(apart, unreadable, noTcp);
    expect(await apart.exited()).toBe(1);
    expect(apart.stderr()).toBe('parley: --tls-port: --tls-port, --tls-cert and --tls-key go together\n');
    expect(await unreadable.exited()).toBe(1);
    expect(unreadable.stderr()).toMatch(/^parley: --tls-cert: cannot read \/nonexistent\/cert\.pem: ENOENT/);
    const quiet = await waitFor('banner', () => /Press Ctrl\+C/.test(noTcp.stdout()) && noTcp.stdout(), 15_000);
    expect(quiet).not.toContain('TCP');
  });

  it('refuses a password file it cannot read, or one holding no password, rather than running an open relay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const missing = join(dir, 'missing.txt');
    const blank = join(dir, 'blank.txt');
    writeFileSync(blank, ' \n\t\n');
    const cases: [string[], Record<string, string>, string][] = [
      [['--password-file', missing], {}, `parley: --password-file: cannot read "${missing}" (no such file or directory, ENOENT).\n`],
      [['--password-file', blank], {}, `parley: --password-file: "${blank}" holds no password (it is empty or only whitespace). Write the password into it, or leave the option out to run an open relay.\n`],
      [['--password', ' '], {}, 'parley: --password: must not be empty or only whitespace (leave the option out to run an open relay)\n'],
      [[], { PARLEY_RELAY_PASSWORD: '  ' }, 'parley: PARLEY_RELAY_PASSWORD holds only whitespace: set a password, or unset it to run an open relay.\n'],
    ];
    for (const [args, env, stderr] of cases) {
      const run = runParley(['relay', '--host', '127.0.0.1', '--port', '0', ...args], env);
      children.push(run);
      expect(await run.exited()).toBe(1);
      expect(run.stderr()).toBe(stderr);
      expect(run.stdout()).toBe('');
    }
  });

  it('says which option to change when the metrics port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const metricsPort = (taken.address() as AddressInfo).port;
    try {
      const run = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--metrics-port', String(metricsPort), '--log-level', 'silent']);
      children.push(run);
      expect(await run.exited()).toBe(1);
      expect(run.stderr()).toBe(`parley: --metrics-port: TCP port ${metricsPort} is already in use (EADDRINUSE): another relay or program has it. Choose another port.\n`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('fails clearly when the port is taken', async () => {
    const first = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent']);
    children.push(first);
    const banner = await waitFor('first relay', () => /Press Ctrl\+C/.test(first.stdout()) && first.stdout(), 15_000);
    const port = /127\.0\.0\.1:(\d+)/.exec(banner)![1]!;
    const second = runParley(['relay', '--host', '127.0.0.1', '--port', port, '--log-level', 'silent']);
    children.push(second);
    expect(await second.exited()).toBe(1);
    expect(second.stderr()).toBe(`parley: --port: UDP port ${port} is already in use (EADDRINUSE): another relay or program has it. Choose another port.\n`);
  });
});
