import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import { RelaySession } from '../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { decodeControl, isControl, type ControlMessage } from '../../server/protocol/control.js';
import { encodeRtp } from '../../server/protocol/rtp.js';
import { ManualClock } from '../../server/shared/clock.js';
import { UdpProxy } from '../support/udp-proxy.js';
import { collectMedia, joinRelay, peerNames, relayOnLoopback, waitFor } from '../helpers/relay.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('roaming after a NAT rebinding', () => {
  let relay: RelayHandle | undefined;
  let proxy: UdpProxy | undefined;
  let stranger: Socket | undefined;
  const sessions: RelaySession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.leave()));
    stranger?.close();
    stranger = undefined;
    await proxy?.close();
    proxy = undefined;
    await relay?.close();
    relay = undefined;
  });

  it('answers media from an address not the member’s with UNKNOWN_ADDRESS, at most once per 100 ms of the relay’s clock', async () => {
    const clock = new ManualClock(1_000);
    relay = await relayOnLoopback({ clock });
    const ana = await joinRelay(relay, { room: 'lobby', name: 'Ana' });
    sessions.push(ana);
    const socket = createSocket('udp4');
    stranger = socket;
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const replies: { message: ControlMessage; bytes: number }[] = [];
    socket.on('message', (datagram) => isControl(datagram) && replies.push({ message: decodeControl(datagram), bytes: datagram.length }));
    const port = relay.address.port;
    // The smallest RTP packet the relay looks at: a header and nothing else.
    const media = (sequence: number): Buffer => encodeRtp({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 0, ssrc: ana.memberId }, new Uint8Array(0));
    const notice = (sequence: number): { message: ControlMessage; bytes: number } => ({ message: { type: 'unknownAddress', memberId: ana.memberId, sequence }, bytes: 9 });

    // The relay reads its clock when it handles a datagram: let it handle each batch before the clock moves.
    const refuse = async (sequences: number[]): Promise<void> => {
      const before = relay!.stats().dropped.address_mismatch ?? 0;
      for (const sequence of sequences) socket.send(media(sequence), port, '127.0.0.1');
      await waitFor('refused', () => relay!.stats().dropped.address_mismatch === before + sequences.length);
    };
    await refuse([10, 11, 12]);
    clock.advance(99);
    await refuse([13]);
    clock.advance(1);
    await refuse([14]);
    clock.advance(250);
    await refuse([15, 16]);
    await waitFor('three notices', () => replies.length === 3);
    await sleep(50);
    // One notice per 100 ms whatever the burst (no more after a long pause), never larger than the 12-byte packet it answers.
    expect(replies).toEqual([notice(10), notice(14), notice(15)]);
    expect(relay.stats()).toMatchObject({ mediaForwarded: 0, roams: 0 });
  });

  it('follows a talker whose NAT gave it a new port mid-talk: the listener misses nothing', async () => {
    // Pings so rare that none falls in the test: without the relay's notice the talker would stay lost.
    relay = await relayOnLoopback({ pingIntervalMs: 30_000 });
    proxy = await UdpProxy.start({ target: { host: '127.0.0.1', port: relay.address.port } });
    const ana = await RelaySession.connect({ relay: { host: '127.0.0.1', port: proxy.port }, room: 'lobby', name: 'Ana', secret: 'k' });
    const ben = await joinRelay(relay, { room: 'lobby', name: 'Ben', secret: 'k' });
    sessions.push(ana, ben);
    await waitFor('roster', () => peerNames(ana).includes('Ben') && peerNames(ben).includes('Ana'));
    const heardByBen = collectMedia(ben);
    const heardByAna = collectMedia(ana);

    for (let sequence = 1; sequence <= 30; sequence++) {
      if (sequence === 11) proxy.rebindClients();
      ana.sendMedia({ marker: sequence === 1, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 960 * sequence }, Uint8Array.of(sequence));
      await sleep(20);
    }
    await waitFor('Ben hears all thirty', () => heardByBen.length === 30, 1_500);
    expect(heardByBen.map((h) => h.sequence)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(relay.stats().roams).toBe(1);
    // The relay sends to the new address too.
    ben.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, Uint8Array.of(1));
    await waitFor('Ana hears Ben', () => heardByAna.length === 1);
    expect(ana.status.state).toBe('connected');
  });
});
