import { describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { collectMedia, peerNames, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('relay forwarding among rooms', () => {
  let relay: RelayHandle;
  const harness = relayHarness();

  it('forwards each member’s media to the rest of its room only, never back', async () => {
    relay = await harness.relay();
    const [ana, ben, cai] = await Promise.all(
      ['Ana', 'Ben', 'Cai'].map((name) => harness.join(relay, { room: 'red', name, secret: 'shared secret' })),
    );
    const [dee, eli] = await Promise.all(['Dee', 'Eli'].map((name) => harness.join(relay, { room: 'blue', name })));
    const sessions = [ana!, ben!, cai!, dee!, eli!];

    await waitFor('red roster', () => peerNames(ana!).length === 2 && peerNames(ben!).length === 2 && peerNames(cai!).length === 2);
    await waitFor('blue roster', () => peerNames(dee!).length === 1 && peerNames(eli!).length === 1);
    expect(peerNames(ana!)).toEqual(['Ben', 'Cai']);
    expect(peerNames(dee!)).toEqual(['Eli']);
    expect(ana!.encrypted).toBe(true);
    expect(dee!.encrypted).toBe(false);

    const heard = new Map<RelaySession, ReturnType<typeof collectMedia>>();
    for (const s of sessions) heard.set(s, collectMedia(s));
    const payload = (n: number): Uint8Array => Uint8Array.from([n, n + 1, n + 2]);
    for (let i = 0; i < 10; i++) {
      ana!.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: 100 + i, timestamp: 960 * i }, payload(i));
      dee!.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: 7 + i, timestamp: 960 * i }, payload(50 + i));
    }
    await waitFor('media delivered', () => heard.get(ben!)!.length === 10 && heard.get(cai!)!.length === 10 && heard.get(eli!)!.length === 10);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(heard.get(ana!)).toHaveLength(0);
    expect(heard.get(dee!)).toHaveLength(0);
    expect(heard.get(ben!)!.map((m) => [m.peerId, m.sequence, [...m.payload]])).toEqual(
      Array.from({ length: 10 }, (_, i) => [ana!.memberId, 100 + i, [i, i + 1, i + 2]]),
    );
    expect(heard.get(eli!)!.map((m) => [m.peerId, m.sequence, [...m.payload]])).toEqual(
      Array.from({ length: 10 }, (_, i) => [dee!.memberId, 7 + i, [50 + i, 51 + i, 52 + i]]),
    );
    expect(relay.stats()).toMatchObject({ rooms: 2, members: 5, mediaIn: 20, mediaForwarded: 30, droppedTotal: 0 });
  });
});
