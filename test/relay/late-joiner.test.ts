import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { collectMedia, joinRelay, peerNames, relayOnLoopback, waitFor } from '../helpers/relay.js';

describe('a late joiner in an encrypted room', () => {
  let relay: RelayHandle;
  const sessions: RelaySession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.leave()));
    await relay?.close();
  });

  it('hears a talker whose sequence number wrapped before it joined', async () => {
    relay = await relayOnLoopback();
    const ana = await joinRelay(relay, { room: 'red', name: 'Ana', secret: 'shared secret' });
    sessions.push(ana);
    const send = (sequence: number, n: number): void =>
      ana.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 960 * n }, Uint8Array.from([n]));
    // Ana talks alone from just below the wrap, so her index passes 65,536 before Ben arrives.
    for (let n = 0; n < 10; n++) send((65_530 + n) & 0xffff, n);
    await waitFor('Ana’s media reached the relay', () => relay.stats().mediaIn === 10);

    const ben = await joinRelay(relay, { room: 'red', name: 'Ben', secret: 'shared secret' });
    sessions.push(ben);
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
