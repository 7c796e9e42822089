import { describe, expect, it } from 'vitest';
import { startRelay } from '../../server/index.js';
import type { SessionStatus } from '../../electron/net/session.js';
import { performHandshake } from '../../electron/net/handshake.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { ManualClock } from '../../server/shared/clock.js';
import { collectMedia, freeUdpPort, peerNames, sleep, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('relay resilience', () => {
  const harness = relayHarness();

  it('isolates a flooding member: the others lose nothing', async () => {
    const relay = await harness.relay({ rateLimit: { packetsPerSecond: 100, burstPackets: 50 } });
    const flooder = await harness.join(relay, { room: 'lobby', name: 'Flood' });
    const talker = await harness.join(relay, { room: 'lobby', name: 'Talk' });
    const listener = await harness.join(relay, { room: 'lobby', name: 'Listen' });
    await waitFor('roster', () => peerNames(listener).length === 2);
    const heard = collectMedia(listener);

    const started = performance.now();
    let talkerSequence = 0;
    // One second: the talker sends at voice rate (50/s) while the flooder sends 2,000 as fast as it can.
    for (let tick = 0; tick < 50; tick++) {
      for (let burst = 0; burst < 40; burst++) {
        flooder.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: tick * 40 + burst + 1, timestamp: 0 }, new Uint8Array(100));
      }
      talker.sendMedia({ marker: tick === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: ++talkerSequence, timestamp: 960 * tick }, new Uint8Array(100));
      await sleep(20);
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    await waitFor('talker fully heard', () => heard.filter((h) => h.peerId === talker.memberId).length === 50);
    await sleep(150);
    const fromFlooder = heard.filter((h) => h.peerId === flooder.memberId).length;
    const stats = relay.stats();
    // The flooder gets its burst plus its rate for the time it flooded, and not a packet more.
    expect(fromFlooder).toBeLessThanOrEqual(Math.ceil(50 + 100 * elapsedSeconds));
    expect(fromFlooder).toBeGreaterThanOrEqual(100);
    expect(stats.dropped.rate_limited).toBe(2000 - fromFlooder);
    expect(heard.filter((h) => h.peerId === talker.memberId).map((h) => h.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('drops a member that goes silent for the timeout, and not a moment before', async () => {
    const clock = new ManualClock(1_000);
    const relay = await harness.relay({ clock, memberTimeoutMs: 15_000, maintenanceIntervalMs: 5 });
    const watcher = await harness.join(relay, { room: 'lobby', name: 'Watcher' });
    // A client that joins and then never speaks again (a crashed app, a closed laptop).
    const transport = await harness.transport(relay);
    await performHandshake(transport, { room: 'lobby', name: 'Ghost', mediaSalt: new Uint8Array(16), flags: 0 });
    await waitFor('ghost listed', () => peerNames(watcher).includes('Ghost'));

    clock.set(1_000 + 14_999);
    watcher.setFlags({ talking: true }); // the watcher stays heard
    await waitFor('watcher state applied', () => relay.rooms()[0]!.members.some((m) => m.name === 'Watcher' && m.talking));
    await sleep(50);
    expect(relay.stats()).toMatchObject({ members: 2, timeouts: 0 });

    clock.set(1_000 + 15_001);
    await waitFor('ghost dropped', () => relay.stats().timeouts === 1);
    await waitFor('watcher told', () => peerNames(watcher).length === 0);
    expect(relay.stats().members).toBe(1);
  });

  it('keeps a roaming member in its place: media follows its new address', async () => {
    const relay = await harness.relay();
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana', secret: 'x' });
    const ben = await harness.join(relay, { room: 'lobby', name: 'Ben', secret: 'x' });
    await waitFor('roster', () => peerNames(ana).includes('Ben'));
    const idBefore = ana.memberId;
    const portBefore = ana.localPort;
    await ana.roam();
    expect(ana.localPort).not.toBe(portBefore);
    await waitFor('relay saw the move', () => relay.stats().roams === 1);

    const heardByAna = collectMedia(ana);
    const heardByBen = collectMedia(ben);
    ben.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, Uint8Array.of(1));
    ana.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, Uint8Array.of(2));
    await waitFor('both directions', () => heardByAna.length === 1 && heardByBen.length === 1);
    expect(ana.memberId).toBe(idBefore);
    expect(ana.status.state).toBe('connected');
    expect(relay.stats()).toMatchObject({ members: 2, joins: 2, dropped: {} });
  });

  it('reconnects both members after the relay restarts, whether or not its goodbye arrived', async () => {
    const port = await freeUdpPort();
    const first = await startRelay({ host: '127.0.0.1', port });
    const proxy = await harness.proxy({ port });
    const fast = { reconnectDelaysMs: { initial: 50, max: 200 } };
    const ana = await harness.connect({ relay: { host: '127.0.0.1', port }, room: 'lobby', name: 'Ana', ...fast });
    // Ben is behind a proxy that will swallow the relay's goodbye, as a lossy network might.
    const ben = await harness.join(proxy, { room: 'lobby', name: 'Ben', ...fast });
    await waitFor('roster', () => peerNames(ana).includes('Ben'));
    const anaStates: SessionStatus[] = [];
    ana.on('status', (s) => anaStates.push(s));

    proxy.setImpairment('toClient', { lossPct: 100 });
    await first.close();
    await waitFor('Ana told', () => ana.status.state === 'reconnecting');
    expect(anaStates[0]).toMatchObject({ state: 'reconnecting', reason: 'relayClosed' });

    const second = await harness.relayAt({ host: '127.0.0.1', port });
    proxy.setImpairment('toClient', {});
    await waitFor('Ana back', () => ana.status.state === 'connected', 5_000);
    // Ben never heard the goodbye: his next ping meets a relay that does not know him, which says so.
    await waitFor('Ben back', () => ben.status.state === 'connected' && second.stats().members === 2, 8_000);
    await waitFor('roster rebuilt', () => peerNames(ana).includes('Ben') && peerNames(ben).includes('Ana'));
    expect(second.stats().dropped.unknown_member ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('gives up on a relay silent for three ping intervals, then joins again once it answers', async () => {
    const relay = await harness.relay({ pingIntervalMs: 100 });
    const proxy = await harness.proxy(relay);
    const ana = await harness.join(proxy, { room: 'lobby', name: 'Ana', reconnectDelaysMs: { initial: 50, max: 100 } });
    const firstId = ana.memberId;
    const states: SessionStatus[] = [];
    ana.on('status', (s) => states.push(s));
    proxy.setImpairment('toClient', { lossPct: 100 });
    await waitFor('Ana gives up', () => ana.status.state === 'reconnecting', 2_000);
    expect(states[0]).toMatchObject({ state: 'reconnecting', reason: 'connectionLost', attempt: 1 });
    expect(ana.peers).toEqual([]);
    proxy.setImpairment('toClient', {});
    await waitFor('Ana back', () => ana.status.state === 'connected', 5_000);
    // A new session: a new member id, and the relay counts a second join.
    expect(ana.memberId).not.toBe(firstId);
    expect(relay.stats().joins).toBe(2);
  });

  it('stops retrying for good when the relay it comes back to refuses it for a reason retrying cannot fix', async () => {
    const port = await freeUdpPort();
    const first = await startRelay({ host: '127.0.0.1', port });
    const ana = await harness.connect({ relay: { host: '127.0.0.1', port }, room: 'lobby', name: 'Ana', reconnectDelaysMs: { initial: 50, max: 100 } });
    await first.close();
    await waitFor('Ana told', () => ana.status.state === 'reconnecting');
    // The relay comes back with a password Ana does not have.
    await harness.relayAt({ host: '127.0.0.1', port, password: 'new' });
    await waitFor('Ana gives up', () => ana.status.state === 'closed', 5_000);
    expect(ana.status).toMatchObject({ state: 'closed', reason: 'failed', error: { code: 'passwordRequired' } });
  });

  it('serves both IPv6 and IPv4 clients on the default dual-stack address', async () => {
    const relay = await harness.relayAt({ port: 0 });
    expect(relay.address).toMatchObject({ host: '::', family: 'IPv6' });
    const v6 = await harness.connect({ relay: { host: '::1', port: relay.address.port }, room: 'lobby', name: 'Six' });
    const v4 = await harness.join(relay, { room: 'lobby', name: 'Four' });
    await waitFor('they meet', () => peerNames(v6).includes('Four') && peerNames(v4).includes('Six'));
    const heard = collectMedia(v6);
    v4.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, Uint8Array.of(4));
    await waitFor('v6 hears v4', () => heard.length === 1);
  });

  it('says clearly when the port is taken', async () => {
    const relay = await harness.relay();
    await expect(startRelay({ host: '127.0.0.1', port: relay.address.port })).rejects.toMatchObject({ name: 'RelayStartError', code: 'portInUse', message: expect.stringMatching(/EADDRINUSE/) });
  });

  it('serves Prometheus metrics', async () => {
    const relay = await harness.relay({ metricsPort: 0 });
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana' });
    await harness.join(relay, { room: 'lobby', name: 'Ben' });
    await waitFor('roster', () => peerNames(ana).includes('Ben'));
    ana.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, Uint8Array.of(1));
    await waitFor('forwarded', () => relay.stats().mediaForwarded === 1);
    const response = await fetch(`http://127.0.0.1:${relay.metricsPort}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toMatch(/^parley_members 2$/m);
    expect(text).toMatch(/^parley_rooms 1$/m);
    expect(text).toMatch(/^parley_packets_sent_total\{kind="media"\} 1$/m);
    expect(text).toMatch(/^parley_joins_total 2$/m);
    expect((await fetch(`http://127.0.0.1:${relay.metricsPort}/nope`)).status).toBe(404);
  });
});

