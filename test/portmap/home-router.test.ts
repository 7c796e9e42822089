import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HostingView } from '../../electron/api/contract.js';
import { bestAlignment, readWavMono } from '../audio/helpers/signal.js';
import { forwardingLine } from '../../cli/relay-command.js';
import { defaultWorkerCount } from '../../server/index.js';
import { spawnCollected, type ParleyProcess } from '../cli/run-parley.js';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { waitFor } from '../helpers/relay.js';
import { matchSegments } from '../support/audio-compare.js';
import { homeRouterUnavailable, startHomeRouter, type HomeRouter } from '../support/home-router.js';
import type { HostingAppCommand } from './hosting-app.js';

const repo = new URL('../..', import.meta.url).pathname;
const unavailable = homeRouterUnavailable();
if (unavailable) console.warn(`Skipping the home router tests: ${unavailable}.`);

/** Node, with these arguments, inside a namespace. */
function runIn(namespace: string, args: string[]): ParleyProcess {
  return spawnCollected('ip', ['netns', 'exec', namespace, process.execPath, ...args]);
}

/** The desktop app's controller in the "lan" namespace (test/portmap/hosting-app.ts). */
class HostingApp {
  readonly process: ParleyProcess;

  constructor(namespace: string, readonly dir: string) {
    this.process = runIn(namespace, ['--import', 'tsx', join(repo, 'test/portmap/hosting-app.ts'), dir]);
  }

  send(command: HostingAppCommand): void {
    this.process.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  lines(): Record<string, unknown>[] {
    return this.process
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  latestHosting(): HostingView | undefined {
    const views = this.lines().filter((l) => 'hosting' in l);
    return (views.at(-1)?.hosting as HostingView | null | undefined) ?? undefined;
  }

  /** The hosting view once `ready` holds for it. */
  hostingWhen(what: string, ready: (view: HostingView) => boolean, timeoutMs = 20_000): Promise<HostingView> {
    return waitFor(what, () => {
      const view = this.latestHosting();
      return view && ready(view) ? view : undefined;
    }, timeoutMs);
  }

  peers(): string[] {
    return (this.lines().filter((l) => 'peers' in l).at(-1)?.peers as string[] | undefined) ?? [];
  }

  async done(what: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    return waitFor(`${what} done`, () => this.lines().find((l) => l.done === what), timeoutMs).catch((error: unknown) => {
      throw new Error(`${String(error)}\napp said:\n${this.process.stdout()}\n${this.process.stderr()}`);
    });
  }
}

const PORT = 47000;

describe.skipIf(unavailable !== undefined)('hosting behind a home router (network namespaces, nftables NAT, miniupnpd)', () => {
  let router: HomeRouter;
  const running: ParleyProcess[] = [];

  beforeAll(async () => {
    router = await startHomeRouter();
  }, 30_000);

  afterEach(() => {
    for (const p of running.splice(0)) p.child.kill('SIGKILL');
  });

  afterAll(async () => {
    await router?.close();
  });

  const mappings = (): string[] => router.natRules().split('\n').filter((l) => l.includes('dnat'));
  const upnpList = (): string[] =>
    router
      .run(router.lan, ['upnpc', '-l'])
      .split('\n')
      .filter((l) => /^\s*\d+ (UDP|TCP) /.test(l));

  /** `parley join` from the friend's side of the router; `duration` seconds. */
  function friendJoins(dir: string, seconds: number): { run: ParleyProcess; heard: string } {
    const heard = join(dir, `friend-hears-${Date.now()}.wav`);
    const run = runIn(router.wan, [join(repo, 'bin/parley.js'), 'join', `${router.wanAddress}:${PORT}`, '--room', 'Lobby', '--name', 'Ben', '--input', SPEECH_WAV, '--output', heard, '--duration', String(seconds)]);
    running.push(run);
    return { run, heard };
  }

  it('the app maps its port through the router; a friend outside joins the public address and both hear each other; Stop hosting removes the mapping', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-home-'));
    const app = new HostingApp(router.lan, dir);
    running.push(app.process);
    app.send({ do: 'host', port: PORT, room: 'Lobby' });
    expect((await app.done('host')).result).toEqual({ ok: true });
    const opened = await app.hostingWhen('the router opened the port', (view) => view.reachability.verdict === 'anywhere');
    expect(opened.reachability.message).toBe(`Friends anywhere can join at ${router.wanAddress}:${PORT} (your router opened the port).`);
    expect(opened.addresses[0]).toBe(`${router.wanAddress}:${PORT}`);
    expect(opened.addresses).toContain(`${router.lanAddress}:${PORT}`);
    expect(opened.invite).toMatch(new RegExp(`^parley://${router.wanAddress.replaceAll('.', '\\.')}:${PORT}/Lobby#secret=`));
    // UDP and TCP, both forwarded to the host.
    expect(mappings().map((l) => l.trim().replace(/^iif "\S+" /, ''))).toEqual([
      `@nh,72,8 0x11 th dport ${PORT} dnat ip to ${router.lanAddress}:${PORT}`,
      `@nh,72,8 0x6 th dport ${PORT} dnat ip to ${router.lanAddress}:${PORT}`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'port-mappings.json'), 'utf8'))).toEqual({
      mappings: [
        { method: 'NAT-PMP', protocol: 'UDP', internalPort: PORT, externalPort: PORT },
        { method: 'NAT-PMP', protocol: 'TCP', internalPort: PORT, externalPort: PORT },
      ],
    });

    // 14 s: the join may take seconds on a loaded machine, and what is left must hold a whole copy of the host's looping 6.2 s speech.
    const friend = friendJoins(dir, 14);
    await waitFor('the host sees the friend', () => app.peers().includes('Ben'), 15_000);
    expect(await friend.run.exited()).toBe(0);
    expect(friend.run.stdout()).toMatch(new RegExp(`joined Lobby on ${router.wanAddress.replaceAll('.', '\\.')}:${PORT} as Ben \\(encrypted\\)\\n.* {2}Ana is here\\n`));
    app.send({ do: 'leave' });
    const left = await app.done('leave');

    // Stop hosting: nothing is left on the router, and the public address no longer answers.
    expect(mappings()).toEqual([]);
    expect(upnpList()).toEqual([]);
    expect(existsSync(join(dir, 'port-mappings.json'))).toBe(false);

    const sent = readWavMono(SPEECH_WAV).samples;
    for (const [who, heardFile] of [
      ['the friend hears the host', friend.heard],
      ['the host hears the friend', (left.recordings as string[])[0]!],
    ] as const) {
      const heard = readWavMono(heardFile).samples;
      // Each segment is looked for within 150 ms of its place: on a loaded machine the jitter buffer stretches
      // and cuts pitch periods to follow the delay, which moves later speech by more than the default search.
      const match = matchSegments(heard, sent, bestAlignment(heard, sent).lag, { searchMs: 150 });
      expect(match.segments, who).toBeGreaterThan(10);
      // A smoke test that speech crosses the router both ways, with a generous bound: on a loaded machine the jitter
      // buffer's stretching lowers the waveform match (0.5 to 0.9 seen here; audio that is not the speech scores under 0.1).
      // The quality of the path is measured over loopback in test/client/ and test/impairment/.
      expect(match.medianCorrelation, who).toBeGreaterThan(0.4);
    }

    const late = friendJoins(dir, 3);
    expect(await late.run.exited()).toBe(1);
    expect(late.run.stderr()).toMatch(/not|no answer|unreachable/i);

    app.send({ do: 'quit' });
    expect(await app.process.exited()).toBe(0);
  }, 90_000);

  it('`parley relay --map-port` prints the public address, serves a friend outside, and unmaps on shutdown', async () => {
    const relay = runIn(router.lan, [join(repo, 'bin/parley.js'), 'relay', '--map-port', '--port', String(PORT), '--log-level', 'warn']);
    running.push(relay);
    await waitFor('relay banner', () => /Press Ctrl\+C/.test(relay.stdout()), 15_000);
    expect(relay.stdout()).toBe(
      [
        `Parley relay listening on UDP [::]:${PORT} (IPv6 and IPv4)`,
        'Asking your router to open the port…',
        `Friends anywhere can join at ${router.wanAddress}:${PORT} (your router opened the port).`,
        `Public address (from the router, by NAT-PMP): ${router.wanAddress}:${PORT}`,
        'Friends can join at:',
        `  ${router.wanAddress}:${PORT}`,
        `  ${router.lanAddress}:${PORT}`,
        `Also on TCP port ${PORT}, for friends whose network blocks UDP`,
        forwardingLine(defaultWorkerCount(), defaultWorkerCount()),
        'Password: none (anyone who can reach this port can join)',
        'Rooms: listed to everyone who joins',
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    const dir = mkdtempSync(join(tmpdir(), 'parley-home-'));
    const friend = friendJoins(dir, 2);
    expect(await friend.run.exited()).toBe(0);
    expect(friend.run.stdout()).toMatch(/joined Lobby on .* as Ben/);

    relay.child.kill('SIGINT');
    expect(await relay.exited()).toBe(0);
    expect(relay.stdout()).toMatch(/Port mapping removed from the router\.\nParley relay stopped\.\n$/);
    expect(mappings()).toEqual([]);
  }, 60_000);

  for (const igdV1 of [false, true]) {
    it(`through UPnP alone (NAT-PMP off, IGD${igdV1 ? 'v1' : 'v2'}): \`parley relay --map-port\` maps UDP and TCP and unmaps on shutdown`, async () => {
      await router.restartMiniupnpd({ upnp: true, natpmp: false, igdV1 });
      try {
        const relay = runIn(router.lan, [join(repo, 'bin/parley.js'), 'relay', '--map-port', '--port', String(PORT), '--log-level', 'warn']);
        running.push(relay);
        await waitFor('relay banner', () => /Press Ctrl\+C/.test(relay.stdout()), 20_000);
        expect(relay.stdout()).toContain(`Friends anywhere can join at ${router.wanAddress}:${PORT} (your router opened the port).\nPublic address (from the router, by UPnP): ${router.wanAddress}:${PORT}\n`);
        // As upnpc lists them (newest first, so sorted here), the lease's seconds left at the end.
        const listed = upnpList()
          .map((l) => l.trim().replace(/\s+/g, ' ').replace(/^\d+ /, '').replace(/ \d+$/, ''))
          .sort();
        expect(listed).toEqual([`TCP ${PORT}->${router.lanAddress}:${PORT} 'Parley' ''`, `UDP ${PORT}->${router.lanAddress}:${PORT} 'Parley' ''`]);
        relay.child.kill('SIGINT');
        expect(await relay.exited()).toBe(0);
        expect(upnpList()).toEqual([]);
        expect(mappings()).toEqual([]);
      } finally {
        await router.restartMiniupnpd({ upnp: true, natpmp: true });
      }
    }, 60_000);
  }

  it('after a crash, the next start removes what the crashed run left mapped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-home-'));
    const crashing = new HostingApp(router.lan, dir);
    running.push(crashing.process);
    crashing.send({ do: 'host', port: PORT, room: 'Lobby' });
    await crashing.hostingWhen('mapped', (view) => view.reachability.verdict === 'anywhere');
    crashing.process.child.kill('SIGKILL');
    await crashing.process.exited();
    expect(mappings()).toHaveLength(2);

    const next = new HostingApp(router.lan, dir);
    running.push(next.process);
    await waitFor('stale mappings removed', () => mappings().length === 0 && !existsSync(join(dir, 'port-mappings.json')), 15_000);
    next.send({ do: 'quit' });
    expect(await next.process.exited()).toBe(0);
  }, 60_000);

  it('with "Ask my router to open the port" off, nothing is mapped and the app says the setting is why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-home-'));
    const app = new HostingApp(router.lan, dir);
    running.push(app.process);
    app.send({ do: 'host', port: PORT, room: 'Lobby', mapPort: false });
    expect((await app.done('host')).result).toEqual({ ok: true });
    const verdict = await app.hostingWhen('the verdict', (view) => view.reachability.verdict !== 'checking');
    expect(verdict.reachability).toEqual({
      verdict: 'lanOnly',
      message: `Only people on your network can join: asking your router to open the port is off. Forward UDP ${PORT} to ${router.lanAddress} in your router's settings.`,
    });
    expect(mappings()).toEqual([]);
    app.send({ do: 'quit' });
    expect(await app.process.exited()).toBe(0);
  }, 60_000);

  it('with UPnP and NAT-PMP off on the router, the app says only the home network can join, and what to forward to which address', async () => {
    await router.restartMiniupnpd({ upnp: false, natpmp: false });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'parley-home-'));
      const app = new HostingApp(router.lan, dir);
      running.push(app.process);
      app.send({ do: 'host', port: PORT, room: 'Lobby' });
      expect((await app.done('host')).result).toEqual({ ok: true });
      const verdict = await app.hostingWhen('the verdict', (view) => view.reachability.verdict !== 'checking');
      expect(verdict.reachability).toEqual({
        verdict: 'lanOnly',
        // The router is there (it answers "port unreachable" to NAT-PMP) but opens nothing.
        message: `Only people on your network can join: your router did not open the port. Forward UDP ${PORT} to ${router.lanAddress} in your router's settings.`,
      });
      expect(verdict.addresses[0]).toBe(`${router.lanAddress}:${PORT}`);
      expect(verdict.invite).toMatch(new RegExp(`^parley://${router.lanAddress.replaceAll('.', '\\.')}:${PORT}/`));
      expect(mappings()).toEqual([]);
      app.send({ do: 'quit' });
      expect(await app.process.exited()).toBe(0);
    } finally {
      await router.restartMiniupnpd({ upnp: true, natpmp: true });
    }
  }, 60_000);
});
