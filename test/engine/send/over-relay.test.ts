import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../../server/index.js';
import type { RelaySession } from '../../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../../server/protocol/constants.js';
import { decodeRed } from '../../../server/protocol/red.js';
import { ManualClock } from '../../../server/shared/clock.js';
import { SendPipeline, type OutgoingPacket } from '../../../electron/engine/send/send-pipeline.js';
import { collectMedia, joinRelay, peerNames, relayOnLoopback, waitFor } from '../../helpers/relay.js';
import { sine } from '../../support/signals.js';
import { decodeOpus, drive } from './drive.js';

describe('send pipeline over a real relay', () => {
  let relay: RelayHandle | undefined;
  const sessions: RelaySession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.leave()));
    await relay?.close();
  });

  it('delivers a push-to-talk talkspurt with RED, end-to-end encrypted, exactly as sent', async () => {
    relay = await relayOnLoopback();
    const [ana, ben] = await Promise.all(['Ana', 'Ben'].map((name) => joinRelay(relay!, { room: 'tx', name, secret: 'room secret' })));
    sessions.push(ana!, ben!);
    await waitFor('roster', () => peerNames(ana!).length === 1 && peerNames(ben!).length === 1);
    const heard = collectMedia(ben!);

    const clock = new ManualClock();
    const tx = new SendPipeline({ frameMs: 20, bitrate: 24_000, activation: 'pushToTalk', red: 'on', clock });
    tx.setPushToTalk(true);
    const sent: OutgoingPacket[] = [...drive(tx, sine(440, 1, 0.3), clock).packets, ...tx.flush()];
    for (const packet of sent) ana!.sendMedia(packet, packet.payload);

    expect(sent).toHaveLength(51);
    await waitFor('all packets', () => heard.length === sent.length);
    expect(ana!.encrypted).toBe(true);
    expect(heard.map((m) => [m.peerId, m.marker, m.payloadType, m.sequence, m.timestamp, [...m.payload]])).toEqual(
      sent.map((p) => [ana!.memberId, p.marker, p.payloadType, p.sequence, p.timestamp, [...p.payload]]),
    );
    expect(heard.map((m) => m.payloadType)).toEqual([OPUS_PAYLOAD_TYPE, ...new Array<number>(50).fill(RED_PAYLOAD_TYPE)]);
    // The end marker: an empty primary after a copy of the last frame.
    expect(decodeRed(heard.at(-1)!.payload).primary.data).toHaveLength(0);

    // What a receiver that lost every other packet could still rebuild from the redundancy.
    const primaries = [heard[0]!.payload, ...heard.slice(1, 50).map((m) => decodeRed(m.payload).primary.data)];
    const recovered = heard.slice(1).map((m) => decodeRed(m.payload).redundant[0]!.data);
    expect(recovered.map((r) => [...r])).toEqual(primaries.map((p) => [...p]));
    const decoded = await decodeOpus(primaries);
    expect(decoded.errors).toBe(0);
    expect(decoded.samples.every((s) => s.length === 960)).toBe(true);
  });
});
