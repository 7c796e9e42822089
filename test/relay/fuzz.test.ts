import { createSocket } from 'node:dgram';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { decodeControl } from '../../server/protocol/control.js';
import { UdpProxy } from '../support/udp-proxy.js';
import { RelaySession as Session } from '../../electron/net/session.js';
import { collectMedia, joinRelay, peerNames, relayOnLoopback, waitFor } from '../helpers/relay.js';

describe('the live relay under arbitrary datagrams', () => {
  let relay: RelayHandle;
  let proxy: UdpProxy | undefined;
  const sessions: RelaySession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.leave()));
    await proxy?.close();
    await relay?.close();
  });

  it('survives random and mutated traffic, counts every drop, and still serves its members after', async () => {
    // Every HELLO the mutations leave valid comes from one address: let all be answered, so the counts stay exact.
    relay = await relayOnLoopback({ perAddress: { hellos: { perSecond: 1_000, burst: 4_000 } } });
    proxy = await UdpProxy.start({ target: { host: '127.0.0.1', port: relay.address.port } });
    proxy.record = true;
    // Real traffic to mutate: a handshake, pings, state changes and media.
    const ana = await Session.connect({ relay: { host: '127.0.0.1', port: proxy.port }, room: 'lobby', name: 'Ana', secret: 'k' });
    sessions.push(ana);
    const ben = await joinRelay(relay, { room: 'lobby', name: 'Ben', secret: 'k' });
    sessions.push(ben);
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    ana.setFlags({ talking: true });
    for (let i = 0; i < 5; i++) ana.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: i + 1, timestamp: 960 * i }, new Uint8Array(60).fill(i));
    await waitFor('media through', () => relay.stats().mediaForwarded === 5);
    const seeds = proxy.recorded.toRelay.map((d) => Uint8Array.from(d));
    expect(seeds.length).toBeGreaterThanOrEqual(8);

    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(1300))
      .map(([seed, flips, cut]) => {
        const copy = Uint8Array.from(seed);
        for (const [at, value] of flips) copy[at % copy.length] = value;
        return copy.subarray(0, Math.max(1, Math.min(copy.length, cut)));
      });
    const datagrams = fc.sample(fc.oneof(fc.uint8Array({ maxLength: 1500 }), mutated), { numRuns: 4000, seed: 20261125 });

    const attacker = createSocket('udp4');
    await new Promise<void>((resolve) => attacker.bind(0, '127.0.0.1', resolve));
    const before = relay.stats();
    // Members keep pinging while the fuzz flies: count their datagrams so the totals stay exact.
    const memberSent = (): number => ana.transportStats.sent + ben.transportStats.sent;
    const memberSentBefore = memberSent();
    for (let i = 0; i < datagrams.length; i++) {
      attacker.send(datagrams[i]!, relay.address.port, '127.0.0.1');
      // Pace the burst so the kernel's socket buffer, not the relay, is never what drops a datagram.
      if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const expectedIn = (): number => datagrams.length + memberSent() - memberSentBefore;
    await waitFor('all fuzz received', () => relay.stats().packetsIn - before.packetsIn === expectedIn(), 20_000);
    attacker.close();

    const stats = relay.stats();
    // A mutation can leave a HELLO valid: the relay answers those with a cookie. Everything else is refused and counted.
    const validHellos = datagrams.filter((d) => {
      try {
        return decodeControl(d).type === 'hello';
      } catch {
        return false;
      }
    }).length;
    expect(stats.members).toBe(2);
    expect(stats.mediaForwarded).toBe(5);
    expect(stats.packetsIn - before.packetsIn).toBe(expectedIn());
    expect(stats.droppedTotal - before.droppedTotal).toBe(datagrams.length - validHellos);

    // Liveness: members still talk, and a newcomer can still join.
    const heard = collectMedia(ben);
    ana.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: 6, timestamp: 960 * 5 }, new Uint8Array(60).fill(6));
    await waitFor('still forwarding', () => heard.length === 1);
    const cai = await joinRelay(relay, { room: 'lobby', name: 'Cai', secret: 'k' });
    sessions.push(cai);
    await waitFor('newcomer sees both', () => peerNames(cai).length === 2);
  });
});
