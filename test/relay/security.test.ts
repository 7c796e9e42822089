import { describe, expect, it } from 'vitest';
import type { RelayHandle, RelayOptions } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import type { JoinError } from '../../electron/net/join-error.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { decodeControl, encodeControl, isControl, type ControlMessage, type Cookie, type Join } from '../../server/protocol/control.js';
import { generateEphemeralKeyPair, randomBytes } from '../../server/protocol/crypto.js';
import { encodeRtp, isRtp } from '../../server/protocol/rtp.js';
import type { UdpProxy } from '../support/udp-proxy.js';
import { collectMedia, joinRelay, peerNames, sleep, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('relay security', () => {
  const harness = relayHarness();
  let relay: RelayHandle;
  let proxy: UdpProxy;

  const join = (name: string, extra: Partial<Parameters<typeof joinRelay>[1]> = {}): Promise<RelaySession> => harness.join(relay, { room: 'lobby', name, ...extra });

  /** Starts the relay, and a recording proxy before it (the wire an observer taps) for the test to keep in `proxy`. */
  const relayBehindRecordingProxy = async (options: RelayOptions = {}): Promise<UdpProxy> => {
    relay = await harness.relay(options);
    return harness.proxy(relay, true);
  };

  /** Joins through the recording proxy, so all the session sends and receives is on the record. */
  const joinViaProxy = (name: string, extra: Partial<Parameters<typeof joinRelay>[1]> = {}): Promise<RelaySession> => harness.join(proxy, { room: 'lobby', name, ...extra });

  it('admits only members who know the relay password, which never crosses the wire', async () => {
    const password = 'correct horse battery staple';
    proxy = await relayBehindRecordingProxy({ password });

    const wrong = await joinRelay(relay, { room: 'lobby', name: 'Eve', password: 'guess' }).catch((e: unknown) => e);
    expect((wrong as JoinError).code).toBe('wrongPassword');
    const missing = await joinRelay(relay, { room: 'lobby', name: 'Eve' }).catch((e: unknown) => e);
    expect((missing as JoinError).code).toBe('passwordRequired');

    const ana = await joinViaProxy('Ana', { password });
    const ben = await join('Ben', { password });
    await waitFor('Ana sees Ben', () => peerNames(ana).includes('Ben'));
    expect(relay.stats().members).toBe(2);

    const secretBytes = Buffer.from(password);
    const everything = [...proxy.recorded.toRelay, ...proxy.recorded.toClient];
    expect(everything.length).toBeGreaterThan(4);
    expect(everything.filter((datagram) => datagram.includes(secretBytes))).toHaveLength(0);
    void ben;
  });

  it('keeps one room on one secret, and says so to a joiner with another', async () => {
    relay = await harness.relay();
    const ana = await join('Ana', { secret: 'alpha' });
    const other = await joinRelay(relay, { room: 'lobby', name: 'Eve', secret: 'beta' }).catch((e: unknown) => e);
    expect((other as JoinError).code).toBe('secretMismatch');
    const none = await joinRelay(relay, { room: 'lobby', name: 'Eve' }).catch((e: unknown) => e);
    expect((none as JoinError).code).toBe('secretMismatch');
    const ben = await join('Ben', { secret: 'alpha' });
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    expect(ana.encrypted && ben.encrypted).toBe(true);
    expect(relay.rooms()).toEqual([expect.objectContaining({ name: 'lobby', encrypted: true })]);
  });

  it('admits to an encrypted room only a joiner who proves the secret: what it copies or replays off the wire gets it nowhere', async () => {
    proxy = await relayBehindRecordingProxy();
    const ana = await joinViaProxy('Ana', { secret: 's3cret' });
    await waitFor('Ana’s first ping answered', () => ana.rttMs !== undefined);
    const anaJoinBytes = proxy.recorded.toRelay.find((d) => isControl(d) && decodeControl(d).type === 'join')!;
    const anaJoin = decodeControl(anaJoinBytes) as Join;

    // Eve, who has no secret, on a socket of her own: a cookie of her own, then Ana's JOIN with only what must be Eve's changed.
    const eve = await harness.socket();
    const toEve: ControlMessage[] = [];
    eve.on('message', (datagram) => toEve.push(decodeControl(datagram)));
    const eveKeys = generateEphemeralKeyPair();
    const joinAsEve = async (): Promise<ControlMessage> => {
      toEve.length = 0;
      const clientNonce = randomBytes(16);
      eve.send(encodeControl({ type: 'hello', clientNonce }), relay.address.port, '127.0.0.1');
      const cookie = await waitFor('cookie', () => toEve.find((m): m is Cookie => m.type === 'cookie'));
      const copied = encodeControl({ ...anaJoin, cookie: cookie.cookie, clientNonce, clientPublicKey: eveKeys.publicKey, name: 'Eve' });
      eve.send(copied, relay.address.port, '127.0.0.1');
      return waitFor('answer', () => toEve.find((m) => m.type === 'reject' || m.type === 'welcome'));
    };
    expect(await joinAsEve()).toMatchObject({ type: 'reject', code: 'secretMismatch' });

    // Ana's JOIN as it was: from Eve's address its cookie fails; from Ana's own (spoofed) address it is a replay and admits nobody.
    eve.send(anaJoinBytes, relay.address.port, '127.0.0.1');
    await waitFor('bad cookie', () => relay.stats().dropped.bad_cookie === 1);
    proxy.injectToRelay(anaJoinBytes, ana.localPort!);
    await waitFor('replay counted', () => relay.stats().dropped.replay === 1);
    await sleep(150);
    expect(relay.stats()).toMatchObject({ members: 1, joins: 1 });
    expect(relay.rooms()[0]!.members.map((m) => m.name)).toEqual(['Ana']);
    expect(toEve.filter((m) => m.type === 'welcome')).toHaveLength(0);

    // Nor can Eve take the room's key for herself by arriving first, once Ana has gone.
    await ana.leave();
    await waitFor('room gone', () => relay.stats().rooms === 0);
    expect(await joinAsEve()).toMatchObject({ type: 'reject', code: 'secretMismatch' });
    expect(relay.stats()).toMatchObject({ members: 0, rooms: 0, joins: 1 });
  });

  it('gives a room secret it keeps (a hosting app’s relay) to joiners by plain address, sealed, and to no one else', async () => {
    proxy = await relayBehindRecordingProxy({ roomSecrets: { 'Game night': 'kept secret' } });
    const byInvite = await join('Ana', { room: 'Game night', secret: 'kept secret' });
    const byAddress = await joinViaProxy('Ben', { room: 'Game night' });
    expect(byAddress.encrypted).toBe(true);
    await waitFor('roster', () => peerNames(byInvite).includes('Ben') && peerNames(byAddress).includes('Ana'));
    const heard = collectMedia(byInvite);
    byAddress.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, Buffer.from('hello from Ben'));
    await waitFor('Ana decrypts Ben', () => heard.length === 1);
    expect(Buffer.from(heard[0]!.payload).toString()).toBe('hello from Ben');
    // The secret crossed the wire only inside the sealed WELCOME.
    expect([...proxy.recorded.toRelay, ...proxy.recorded.toClient].some((d) => d.includes(Buffer.from('kept secret')))).toBe(false);
    const wrong = await joinRelay(relay, { room: 'Game night', name: 'Eve', secret: 'guess' }).catch((e: unknown) => e);
    expect((wrong as JoinError).code).toBe('secretMismatch');
    // Other rooms on the same relay are untouched: no secret to hand out there.
    const elsewhere = await join('Cai', { room: 'Other' });
    expect(elsewhere.encrypted).toBe(false);
  });

  it('carries only ciphertext for an encrypted room: the relay cannot read the audio', async () => {
    proxy = await relayBehindRecordingProxy();
    const ana = await joinViaProxy('Ana', { secret: 's3cret' });
    const ben = await join('Ben', { secret: 's3cret' });
    await waitFor('roster', () => peerNames(ana).includes('Ben'));
    const heard = collectMedia(ben);
    const plaintext = Buffer.from('a very recognisable opus frame');
    ana.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, plaintext);
    await waitFor('Ben hears it', () => heard.length === 1);
    expect(Buffer.from(heard[0]!.payload)).toEqual(plaintext);
    const media = proxy.recorded.toRelay.filter((d) => isRtp(d));
    expect(media).toHaveLength(1);
    expect(media[0]!.includes(plaintext)).toBe(false);
    // RTP header, roll-over counter (one byte while it is below 64), ciphertext, tag.
    expect(media[0]!.length).toBe(12 + 1 + plaintext.length + 16);
    expect(media[0]![12]).toBe(0);
  });

  it('drops media from an unjoined sender and from a spoofed SSRC, delivering nothing', async () => {
    relay = await harness.relay();
    const ana = await join('Ana');
    const ben = await join('Ben');
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    const heard = collectMedia(ben);
    const attacker = await harness.socket();
    const forged = (ssrc: number, sequence: number): Buffer =>
      encodeRtp({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 0, ssrc }, Uint8Array.of(1, 2, 3));
    for (let i = 0; i < 20; i++) attacker.send(forged(ana.memberId, i), relay.address.port, '127.0.0.1');
    for (let i = 0; i < 7; i++) attacker.send(forged(0x12345678, i), relay.address.port, '127.0.0.1');
    await waitFor('drops counted', () => (relay.stats().dropped.address_mismatch ?? 0) + (relay.stats().dropped.unknown_ssrc ?? 0) === 27);
    await sleep(150);
    expect(heard).toHaveLength(0);
    expect(relay.stats()).toMatchObject({ mediaForwarded: 0, dropped: { address_mismatch: 20, unknown_ssrc: 7 } });
  });

  it('rejects a replayed control message, so a replay cannot move a member to another address', async () => {
    proxy = await relayBehindRecordingProxy();
    const ana = await joinViaProxy('Ana');
    const ben = await join('Ben');
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    ana.setFlags({ talking: true });
    await waitFor('state seen', () => ben.peers[0]?.flags.talking === true);
    const sealedFromAna = proxy.recorded.toRelay.filter((d) => isControl(d) && decodeControl(d).type === 'sealed');
    expect(sealedFromAna.length).toBeGreaterThanOrEqual(2);

    const attacker = await harness.socket();
    for (const datagram of sealedFromAna) attacker.send(datagram, relay.address.port, '127.0.0.1');
    await waitFor('replays dropped', () => relay.stats().dropped.replay === sealedFromAna.length);
    expect(relay.stats().roams).toBe(0);

    // Ana's media still reaches Ben from her real address.
    const heard = collectMedia(ben);
    ana.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 5, timestamp: 0 }, Uint8Array.of(9));
    await waitFor('Ben hears Ana', () => heard.length === 1);
  });

  it('delivers a replayed media packet to listeners once only', async () => {
    proxy = await relayBehindRecordingProxy();
    const ana = await joinViaProxy('Ana', { secret: 'k' });
    const ben = await join('Ben', { secret: 'k' });
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    const heard = collectMedia(ben);
    for (let i = 0; i < 3; i++) ana.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: 40 + i, timestamp: 960 * i }, Uint8Array.of(i));
    await waitFor('three arrive', () => heard.length === 3);
    // Replayed from Ana's own address (an on-path attacker): the relay forwards it, Ben's client refuses it.
    const media = proxy.recorded.toRelay.filter((d) => isRtp(d));
    for (const datagram of media) proxy.injectToRelay(datagram, ana.localPort!);
    await waitFor('replays forwarded', () => relay.stats().mediaForwarded === 6);
    await sleep(150);
    expect(heard.map((h) => h.sequence)).toEqual([40, 41, 42]);
  });
});
