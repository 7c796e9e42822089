import { describe, expect, it } from 'vitest';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { decodeControl, isControl, type ControlMessage } from '../../server/protocol/control.js';
import { encodeRtp } from '../../server/protocol/rtp.js';
import { ManualClock } from '../../server/shared/clock.js';
import { collectMedia, peerNames, sleep, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('roaming after a NAT rebinding', () => {
  const harness = relayHarness();

  it('answers media from an address not the member’s with UNKNOWN_ADDRESS, at most once per 100 ms of the relay’s clock', async () => {
    const clock = new ManualClock(1_000);
    const relay = await harness.relay({ clock });
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana' });
    const socket = await harness.socket();
    const replies: { message: ControlMessage; bytes: number }[] = [];
    socket.on('message', (datagram) => isControl(datagram) && replies.push({ message: decodeControl(datagram), bytes: datagram.length }));
    const port = relay.address.port;
    // The smallest RTP packet the relay looks at: a header and nothing else.
    const media = (sequence: number): Buffer => encodeRtp({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 0, ssrc: ana.memberId }, new Uint8Array(0));
    const notice = (sequence: number): { message: ControlMessage; bytes: number } => ({ message: { type: 'unknownAddress', memberId: ana.memberId, sequence }, bytes: 9 });

    // The relay reads its clock when it handles a datagram: let it handle each batch before the clock moves.
    const refuse = async (sequences: number[]): Promise<void> => {
      const before = relay.stats().dropped.address_mismatch ?? 0;
      for (const sequence of sequences) socket.send(media(sequence), port, '127.0.0.1');
      await waitFor('refused', () => relay.stats().dropped.address_mismatch === before + sequences.length);
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
    const relay = await harness.relay({ pingIntervalMs: 30_000 });
    const proxy = await harness.proxy(relay);
    const ana = await harness.join(proxy, { room: 'lobby', name: 'Ana', secret: 'k' });
    const ben = await harness.join(relay, { room: 'lobby', name: 'Ben', secret: 'k' });
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
