import { afterEach, describe, expect, it } from 'vitest';
import { OpusFrameDecoder } from '../../../electron/engine/receive/opus-frame-decoder.js';
import { PeerReceiver } from '../../../electron/engine/receive/peer-receiver.js';
import { voicedSignal } from './support/signals.js';
import { deliver, play, TestSender } from './support/stream.js';
import { firstMismatch, receiverFactory, silentBetween } from './support/receivers.js';

const createReceiver = receiverFactory();
const starting: PeerReceiver[] = [];
afterEach(() => {
  for (const receiver of starting.splice(0)) receiver.close();
});

describe('PeerReceiver made before its decoder has started', () => {
  it('takes packets at once, plays silence while the decoder starts, then plays the talkspurt from its first frame', async () => {
    const packets = deliver(new TestSender().talkspurt(voicedSignal(400), 1000), () => 30);
    const decoder = OpusFrameDecoder.start();
    const receiver = new PeerReceiver(decoder);
    starting.push(receiver);
    expect(receiver.ready).toBe(false);
    // Seven playout ticks pass while the decoder starts; the first packet (due at 1050) arrives meanwhile.
    const whileStarting = play(receiver, packets, 1000, 1070);
    expect(silentBetween(whileStarting, 0, whileStarting.length)).toBe(true);
    expect(receiver.stats()).toMatchObject({ packetsReceived: 1, bufferedFrames: 1, lost: 0 });
    await decoder.whenReady;
    expect(receiver.ready).toBe(true);
    const later = play(receiver, packets.slice(1), 1070, 1600);

    // Exactly what a receiver whose decoder was ready from the start plays when its first pull is at 1070.
    const reference = await createReceiver();
    for (const packet of packets.slice(0, 1)) reference.insert(packet);
    const expected = play(reference, packets.slice(1), 1070, 1600);
    expect(firstMismatch(later, 0, expected, 0, expected.length)).toBe(-1);
    expect(later.some((sample) => sample !== 0)).toBe(true);
    expect(receiver.stats()).toMatchObject({ lost: 0, late: 0, packetsReceived: 21 });
  });
});
