import { describe, expect, it } from 'vitest';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { collectMedia, peerNames, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

/** The relay's socket answers IP literals without dns.lookup; names and bind errors must behave as before. */
describe('relay socket address lookup', () => {
  const harness = relayHarness();

  it('binds to a host name through DNS and forwards media as usual', async () => {
    const relay = await harness.relayAt({ host: 'localhost', port: 0 });
    expect(relay.address).toMatchObject({ host: '127.0.0.1', family: 'IPv4' });
    const [ana, ben] = await Promise.all(['Ana', 'Ben'].map((name) => harness.join(relay, { room: 'lookup', name })));
    await waitFor('roster', () => peerNames(ana!).length === 1 && peerNames(ben!).length === 1);
    const heard = collectMedia(ben!);
    for (let i = 0; i < 3; i++) ana!.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: i, timestamp: 960 * i }, Uint8Array.of(i));
    await waitFor('media', () => heard.length === 3);
    expect(heard.map((m) => [m.peerId, m.sequence, [...m.payload]])).toEqual([0, 1, 2].map((i) => [ana!.memberId, i, [i]]));
  });
});
