import { afterEach, describe, expect, it } from 'vitest';
import { performHandshake } from '../../electron/net/handshake.js';
import { RelaySession } from '../../electron/net/session.js';
import { UdpTransport } from '../../electron/net/udp-transport.js';
import { waitFor } from '../helpers/relay.js';
import { AgonesSdkStandIn } from '../support/agones-sdk-stand-in.js';
import { relayPort, runParley, type ParleyProcess } from './run-parley.js';

const banner = (run: ParleyProcess): Promise<string> => waitFor('startup banner', () => /Press Ctrl\+C to stop\./.test(run.stdout()) && run.stdout(), 15_000);

describe('parley relay on SIGTERM (the command, drained)', () => {
  const children: ParleyProcess[] = [];
  const closing: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const run of children.splice(0)) run.child.kill('SIGKILL');
    for (const open of closing.splice(0)) await open.close();
  });

  it('in an Agones fleet (a stand-in sidecar): ready once bound, the member labelled, the member told and gone, then shutdown and exit 0', async () => {
    const sidecar = await AgonesSdkStandIn.start();
    closing.push(sidecar);
    const run = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--agones', '--drain-timeout', '20', '--log-format', 'json'], { AGONES_SDK_GRPC_PORT: String(sidecar.port) });
    children.push(run);
    const port = relayPort(await banner(run));
    expect(run.stdout()).toContain('In an Agones fleet: told it the relay is ready.\n');
    expect(sidecar.calls[0]).toEqual({ method: 'ready' });

    const ana = await RelaySession.connect({ relay: { host: '127.0.0.1', port }, room: 'lobby', name: 'Ana', reconnectDelaysMs: { initial: 60_000, max: 60_000 } });
    await waitFor('member labelled', () => sidecar.of('setLabel').some((call) => call.value === '1'), 10_000);
    const told = new Promise<string>((resolve) => ana.on('status', (s) => s.state === 'reconnecting' && resolve(s.reason)));
    run.child.kill('SIGTERM');
    expect(await told).toBe('relayRestarting');
    expect(await run.exited()).toBe(0);
    await ana.leave();

    expect(run.stdout()).toMatch(/Draining: refusing new joins, waiting up to 20 s for the members to leave \(Ctrl\+C stops at once\)\.\nEvery member has left\.\nParley relay stopped\.\n$/);
    expect(sidecar.of('ready')).toHaveLength(1);
    expect(sidecar.of('health').length).toBeGreaterThanOrEqual(1);
    const labels = sidecar.of('setLabel').map((call) => `${call.key}=${call.value}`);
    // A beat may fall between Ana leaving and the drain seeing it (within 100 ms): then one more, for 0.
    expect(labels.slice(0, 2)).toEqual(['members=0', 'members=1']);
    expect(labels.slice(2)).toEqual(labels.length === 3 ? ['members=0'] : []);
    expect(sidecar.calls.at(-1)).toEqual({ method: 'shutdown' });
    expect(sidecar.of('shutdown')).toHaveLength(1);
  });

  it('waits for a member that stays, and a second signal stops it at once', async () => {
    const run = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent']);
    children.push(run);
    const port = relayPort(await banner(run));
    // A member that takes no notice of the drain (an older client would not understand it).
    const transport = await UdpTransport.open({ host: '127.0.0.1', port });
    closing.push(transport);
    await performHandshake(transport, { room: 'lobby', name: 'Old', mediaSalt: new Uint8Array(16), flags: 0 });
    run.child.kill('SIGTERM');
    await waitFor('draining', () => /Draining: .* up to 30 s/.test(run.stdout()), 10_000);
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGTERM');
    expect(await run.exited()).toBe(130);
  });

  it('refuses a drain timeout that is not a number of seconds, naming the option', async () => {
    const run = runParley(['relay', '--port', '0', '--drain-timeout', '0', '--max-loop-lag', 'soon']);
    children.push(run);
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe('parley: --drain-timeout: must be a number of seconds above 0\nparley: --max-loop-lag: must be a whole number, 1 or more\n');
  });

  it('refuses --agones in one sentence when no SDK sidecar answers, and exits 1', async () => {
    const sidecar = await AgonesSdkStandIn.start();
    const absent = sidecar.port;
    await sidecar.close();
    const run = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--agones', '--log-level', 'silent'], { AGONES_SDK_GRPC_PORT: String(absent) });
    children.push(run);
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe(
      `parley: --agones: no Agones SDK server answered on localhost:${absent} within 5 s; run the relay in an Agones GameServer pod (its SDK sidecar serves that port), or leave out --agones.\n`,
    );
    expect(run.stdout()).toBe('');
  });
});
