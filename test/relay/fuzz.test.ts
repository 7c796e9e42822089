import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { decodeControl } from '../../server/protocol/control.js';
import { collectMedia, peerNames, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('the live relay under arbitrary datagrams', () => {
  const harness = relayHarness();

  it('survives random and mutated traffic, counts every drop, and still serves its members after', async () => {
    // Every HELLO the mutations leave valid comes from one address: let all be answered, so the counts stay exact.
    const relay = await harness.relay({ perAddress: { hellos: { perSecond: 1_000, burst: 4_000 } } });
    const proxy = await harness.proxy(relay, true);
    // Real traffic to mutate: a handshake, pings, state changes and media.
    const ana = await harness.join(proxy, { room: 'lobby', name: 'Ana', secret: 'k' });
    const ben = await harness.join(relay, { room: 'lobby', name: 'Ben', secret: 'k' });
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

    const attacker = await harness.socket();
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
    const cai = await harness.join(relay, { room: 'lobby', name: 'Cai', secret: 'k' });
    await waitFor('newcomer sees both', () => peerNames(cai).length === 2);
  });
});
