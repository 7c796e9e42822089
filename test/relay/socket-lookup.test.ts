import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import { startRelay } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { collectMedia, joinRelay, peerNames, waitFor } from '../helpers/relay.js';

/** The relay's socket answers IP literals without dns.lookup; names and bind errors must behave as before. */
describe('relay socket address lookup', () => {
  const relays: RelayHandle[] = [];
  const sessions: RelaySession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.leave()));
    await Promise.all(relays.splice(0).map((r) => r.close()));
  });

  it('binds to a host name through DNS and forwards media as usual', async () => {
    const relay = await startRelay({ host: 'localhost', port: 0 });
    relays.push(relay);
    expect(relay.address).toMatchObject({ host: '127.0.0.1', family: 'IPv4' });
    const [ana, ben] = await Promise.all(['Ana', 'Ben'].map((name) => joinRelay(relay, { room: 'lookup', name })));
    sessions.push(ana!, ben!);
    await waitFor('roster', () => peerNames(ana!).length === 1 && peerNames(ben!).length === 1);
    const heard = collectMedia(ben!);
    for (let i = 0; i < 3; i++) ana!.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: i, timestamp: 960 * i }, Uint8Array.of(i));
    await waitFor('media', () => heard.length === 3);
    expect(heard.map((m) => [m.peerId, m.sequence, [...m.payload]])).toEqual([0, 1, 2].map((i) => [ana!.memberId, i, [i]]));
  });
});
