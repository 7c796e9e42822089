import { describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { collectMedia, peerNames, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('a late joiner in an encrypted room', () => {
  let relay: RelayHandle;
  const harness = relayHarness();

  it('hears a talker whose sequence number wrapped before it joined', async () => {
    relay = await harness.relay();
    const ana = await harness.join(relay, { room: 'red', name: 'Ana', secret: 'shared secret' });
    const send = (sequence: number, n: number): void =>
      ana.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 960 * n }, Uint8Array.from([n]));
    // Ana talks alone from just below the wrap, so her index passes 65,536 before Ben arrives.
    for (let n = 0; n < 10; n++) send((65_530 + n) & 0xffff, n);
    await waitFor('Ana’s media reached the relay', () => relay.stats().mediaIn === 10);

    const ben = await harness.join(relay, { room: 'red', name: 'Ben', secret: 'shared secret' });
    await waitFor('roster', () => peerNames(ben).length === 1 && peerNames(ana).length === 1);
    const heard = collectMedia(ben);
    for (let n = 10; n < 20; n++) send((65_530 + n) & 0xffff, n);
    await waitFor('media delivered', () => heard.length === 10);

    expect(heard.map((m) => [m.peerId, m.sequence, m.index, [...m.payload]])).toEqual(
      Array.from({ length: 10 }, (_, i) => [ana.memberId, 4 + i, 65_540 + i, [10 + i]]),
    );
    expect(relay.stats()).toMatchObject({ mediaIn: 20, mediaForwarded: 10, droppedTotal: 0 });
  });
});
