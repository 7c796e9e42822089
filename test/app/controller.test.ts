import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { freeUdpPort, waitFor } from '../helpers/relay.js';
import { startAppInstance, type AppInstance, type AppInstanceOptions } from '../support/app-instance.js';
import { UdpProxy } from '../support/udp-proxy.js';

describe('the app controller (under Node, WAV files as devices)', () => {
  const instances: AppInstance[] = [];

  const proxies: UdpProxy[] = [];

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.controller.shutdown()));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  async function instance(options: AppInstanceOptions = {}): Promise<AppInstance> {
    const made = await startAppInstance(options);
    instances.push(made);
    return made;
  }

  it('hosts, is joined by invite, shows each other, propagates mute, and ends the room for everyone', async () => {
    const host = await instance();
    const guest = await instance();
    const port = await freeUdpPort();
    expect(await host.controller.host({ name: 'Ana', room: 'Game night', port })).toEqual({ ok: true });
    const hosting = host.latest().room!.hosting!;
    expect(hosting).toMatchObject({ port, addresses: [`127.0.0.1:${port}`], passwordSet: false });
    // Bound to loopback, no router is asked: the room is for this computer.
    expect(hosting.reachability).toEqual({ verdict: 'thisComputer', message: 'Only people on this computer can join: it has no network address to share.' });
    expect(hosting.invite).toMatch(new RegExp(`^parley://127\\.0\\.0\\.1:${port}/Game%20night#secret=[A-Za-z0-9_-]{22}$`));
    expect(host.latest().room).toMatchObject({ name: 'Game night', encrypted: true, peers: [] });

    expect(await host.controller.copyInvite()).toEqual({ ok: true });
    expect(host.clipboard).toEqual([hosting.invite]);

    expect(await guest.controller.join({ target: hosting.invite, name: 'Ben' })).toEqual({ ok: true });
    await waitFor('both listed', () => host.latest().room?.peers.some((p) => p.name === 'Ben') && guest.latest().room?.peers.some((p) => p.name === 'Ana'));
    expect(guest.latest().room).toMatchObject({ name: 'Game night', address: `127.0.0.1:${port}`, encrypted: true, hosting: null });
    expect(guest.latest().connection).toEqual({ state: 'connected' });

    await guest.controller.setMuted(true);
    await waitFor('host sees Ben muted', () => host.latest().room?.peers.find((p) => p.name === 'Ben')?.muted === true);
    expect(guest.latest().room!.self.muted).toBe(true);

    await host.controller.leave();
    expect(host.latest()).toMatchObject({ connection: { state: 'idle' }, room: null });
    await waitFor('guest told', () => guest.latest().connection.state === 'reconnecting');
    expect(guest.latest().connection).toMatchObject({ state: 'reconnecting', reason: 'relayClosed' });

    const saved = JSON.parse(readFileSync(guest.settingsPath, 'utf8')) as { displayName: string; recentServers: { address: string; room: string }[] };
    expect(saved.displayName).toBe('Ben');
    expect(saved.recentServers.map((s) => [s.address, s.room])).toEqual([[`127.0.0.1:${port}`, 'Game night']]);
  });

  it('says clearly what went wrong: bad address, wrong password, port in use', async () => {
    const host = await instance();
    const guest = await instance();
    const port = await freeUdpPort();
    expect(await guest.controller.join({ target: 'host:99999', name: 'Ben' })).toEqual({ ok: false, error: { code: 'invalidAddress', message: 'Port 99999 is not between 1 and 65535.' } });
    // A typing mistake is the form's to show; the connection itself never changed.
    expect(guest.latest().connection).toEqual({ state: 'idle' });

    expect(await host.controller.host({ name: 'Ana', room: 'Lobby', port, password: 'open sesame' })).toEqual({ ok: true });
    expect(host.latest().room!.hosting!.passwordSet).toBe(true);
    expect(await guest.controller.join({ target: `127.0.0.1:${port}`, room: 'Lobby', name: 'Ben', password: 'wrong' })).toEqual({
      ok: false,
      error: { code: 'wrongPassword', message: 'Wrong relay password.' },
    });
    expect(await guest.controller.join({ target: `127.0.0.1:${port}`, room: 'Lobby', name: 'Ben', password: 'open sesame' })).toEqual({ ok: true });

    const third = await instance();
    const clash = await third.controller.host({ name: 'Cai', room: 'Lobby', port });
    expect(clash).toEqual({
      ok: false,
      error: { code: 'portInUse', message: `Port ${port} is already in use on this computer (another Parley or program is hosting on it). Choose another port.` },
    });
    expect(third.latest()).toMatchObject({ connection: { state: 'failed', error: { code: 'portInUse' } }, room: null });
  });

  it('says the relay did not answer when nothing listens at the address, without waiting out the deadline', async () => {
    const guest = await instance();
    const port = await freeUdpPort();
    const unreachable = {
      code: 'unreachable',
      message: 'The relay did not answer. Check the address, and that its UDP port is open. (nothing is listening on that port)',
    };
    expect(await guest.controller.join({ target: `127.0.0.1:${port}`, room: 'Lobby', name: 'Ben' })).toEqual({ ok: false, error: unreachable });
    expect(guest.latest()).toMatchObject({ connection: { state: 'failed', error: unreachable }, room: null });
  });

  it('remembers per-member volume and mute by name and applies them', async () => {
    const host = await instance();
    const guest = await instance();
    const port = await freeUdpPort();
    await host.controller.host({ name: 'Ana', room: 'Lobby', port });
    await guest.controller.join({ target: `127.0.0.1:${port}`, room: 'Lobby', name: 'Ben' });
    await waitFor('listed', () => host.latest().room?.peers.some((p) => p.name === 'Ben'));
    await host.controller.setPeerVolume('Ben', 1.5);
    await host.controller.setPeerMuted('Ben', true);
    await waitFor('applied', () => {
      const ben = host.latest().room?.peers.find((p) => p.name === 'Ben');
      return ben?.volume === 1.5 && ben.localMuted;
    });
    expect(host.controller.currentSettings.peerVolumes).toEqual({ Ben: { volume: 1.5, muted: true } });
    // Ben comes back in a new session: the preference follows his name.
    await guest.controller.leave();
    await waitFor('gone', () => host.latest().room?.peers.length === 0);
    await guest.controller.join({ target: `127.0.0.1:${port}`, room: 'Lobby', name: 'Ben' });
    await waitFor('back, preference applied', () => {
      const ben = host.latest().room?.peers.find((p) => p.name === 'Ben');
      return ben?.volume === 1.5 && ben.localMuted;
    });
  });

  it('treats a member named like what every object inherits as anyone else: heard, and remembered by name', async () => {
    const host = await instance();
    const guest = await instance();
    const port = await freeUdpPort();
    await host.controller.host({ name: 'Ana', room: 'Lobby', port });
    await guest.controller.join({ target: `127.0.0.1:${port}`, room: 'Lobby', name: 'constructor' });
    // A receive path exists (its buffer is measured): a preference lookup that found the inherited
    // function instead of nothing used to make starting it fail, so nothing they said was played.
    await waitFor('heard', () => host.latest().room?.peers.some((p) => p.name === 'constructor' && p.quality.bufferMs !== null));
    expect(host.latest().room!.peers.map((p) => [p.name, p.volume, p.localMuted])).toEqual([['constructor', 1, false]]);
    await host.controller.setPeerMuted('toString', true);
    expect(host.controller.currentSettings.peerVolumes).toEqual({ toString: { volume: 1, muted: true } });
  });

  it('validates and persists settings, and falls back to the default device when the chosen one is missing', async () => {
    const app = await instance();
    expect(await app.controller.updateSettings({ bitrateKbps: 99 })).toMatchObject({ ok: false, error: { code: 'invalidSettings' } });
    expect(await app.controller.updateSettings({ bitrateKbps: 32, inputDevice: 'Gone', activation: 'pushToTalk', pushToTalkKey: 'F8' })).toEqual({ ok: true });
    const saved = JSON.parse(readFileSync(app.settingsPath, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ bitrateKbps: 32, inputDevice: 'Gone', activation: 'pushToTalk', pushToTalkKey: 'F8' });

    const host = await instance();
    const port = await freeUdpPort();
    await host.controller.host({ name: 'Ana', room: 'Lobby', port });
    expect(await app.controller.join({ target: `127.0.0.1:${port}`, room: 'Lobby', name: 'Ben' })).toEqual({ ok: true });
    expect(app.latest().notices.map((n) => [n.kind, n.text])).toEqual([
      ['warning', 'Microphone "Gone" is not available (Microphone "Gone" was not found.); using the system default.'],
    ]);
    await app.controller.dismissNotice(app.latest().notices[0]!.id);
    expect(app.latest().notices).toEqual([]);
  });

  it('starts a call to a relay whose last call ended on a lossy link with RED on, before any loss report', async () => {
    const host = await instance();
    const guest = await instance({ inputs: { Speech: SPEECH_WAV } });
    await guest.controller.updateSettings({ inputDevice: 'Speech' });
    const port = await freeUdpPort();
    await host.controller.host({ name: 'Ana', room: 'Lobby', port });
    // The guest's media to the relay loses 30 %; control traffic passes.
    const network = await UdpProxy.start({ target: { host: '127.0.0.1', port }, toRelay: { lossPct: 30, mediaOnly: true }, seed: 1 });
    proxies.push(network);
    const redundancy = (): boolean | undefined => guest.latest().room?.self.redundancy;
    await guest.controller.join({ target: `127.0.0.1:${network.port}`, room: 'Lobby', name: 'Ben' });
    expect(redundancy()).toBe(false);
    // The first report after the speech starts turns RED on; the call ends so.
    await waitFor('RED on from the loss reports', () => redundancy() === true, 10_000);
    await guest.controller.leave();
    await guest.controller.join({ target: `127.0.0.1:${network.port}`, room: 'Lobby', name: 'Ben' });
    expect(redundancy()).toBe(true);
  });

  it('runs the microphone test on the real send pipeline: level and gate follow the voice', async () => {
    const app = await instance({ inputs: { Speech: SPEECH_WAV } });
    await app.controller.updateSettings({ inputDevice: 'Speech' });
    expect(await app.controller.startMicTest({ playback: false })).toEqual({ ok: true });
    await waitFor('gate opens on speech', () => app.latest().micTest?.gateOpen === true, 10_000);
    expect(app.latest().micTest!.levelDb).toBeGreaterThan(-50);
    // While only the level moves, the window is sent levels, not the whole state again.
    const sent = { snapshots: 0, levels: 0 };
    const stop = [app.controller.onSnapshot(() => sent.snapshots++), app.controller.onLevels(() => sent.levels++)];
    await waitFor('levels sent', () => sent.levels >= 3);
    stop.forEach((unsubscribe) => unsubscribe());
    expect(sent.snapshots).toBe(0);
    await app.controller.stopMicTest();
    expect(app.latest().micTest).toBeNull();
  });

  it('holds a clicked invite in the Join box until a join uses it', async () => {
    const app = await instance();
    app.controller.openInvite('parley://203.0.113.5:47000/Lobby#secret=abc');
    await waitFor('pending', () => app.latest().pendingInvite === 'parley://203.0.113.5:47000/Lobby#secret=abc');
    await app.controller.join({ target: 'bad host!', name: 'Ben' });
    expect(app.latest().pendingInvite).toBeNull();
    await app.controller.openHelp('troubleshooting');
    expect(app.help).toEqual(['troubleshooting']);
  });
});
