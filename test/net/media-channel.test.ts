import { describe, expect, it } from 'vitest';
import { MediaChannel } from '../../electron/net/media-channel.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { decodeRtp } from '../../server/protocol/rtp.js';

const SSRC = 0x0102_0304;

/** Seals `count` packets from `firstSequence` on (wrapping at 16 bits), each payload naming its position. */
function sealRun(sender: MediaChannel, firstSequence: number, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    sender.seal(
      { marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: (firstSequence + i) & 0xffff, timestamp: 960 * i, ssrc: SSRC },
      Uint8Array.from([i & 0xff, i >>> 8]),
    ),
  );
}

describe('media channel across sequence wraps', () => {
  it('a receiver first meeting a sender after its sequence wrapped opens every packet at its true index', async () => {
    const sender = await MediaChannel.create('shared secret', 'red');
    const receiver = await MediaChannel.create('shared secret', 'red');
    const packets = sealRun(sender, 65_530, 40); // indices 65530 … 65569, wrapping after the sixth
    const opened = packets.slice(10).map((datagram) => receiver.open(decodeRtp(datagram), sender.mediaSalt));
    expect(opened.map((o) => o.index)).toEqual(Array.from({ length: 30 }, (_, i) => 65_540 + i));
    expect(opened.map((o) => [...o.payload])).toEqual(Array.from({ length: 30 }, (_, i) => [10 + i, 0]));
  });

  it('a receiver that missed more than a whole wrap of a sender still opens its next packets', async () => {
    const sender = await MediaChannel.create('shared secret', 'red');
    const receiver = await MediaChannel.create('shared secret', 'red');
    const packets = sealRun(sender, 100, 65_536 + 20);
    const heard = [...packets.slice(0, 10), ...packets.slice(65_536 + 10)]; // as a deafened listener hears
    const opened = heard.map((datagram) => receiver.open(decodeRtp(datagram), sender.mediaSalt));
    expect(opened.map((o) => o.index)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => 100 + i),
      ...Array.from({ length: 10 }, (_, i) => 65_536 + 110 + i),
    ]);
  });

  it('refuses a sealed packet whose stated roll-over counter was altered', async () => {
    const sender = await MediaChannel.create('shared secret', 'red');
    const receiver = await MediaChannel.create('shared secret', 'red');
    const [datagram] = sealRun(sender, 65_535, 2).slice(1); // index 65536: counter byte 0x01
    const altered = Buffer.from(datagram!);
    altered[12] = 0x02;
    expect(() => receiver.open(decodeRtp(altered), sender.mediaSalt)).toThrow(expect.objectContaining({ reason: 'bad_mac' }));
    expect(receiver.open(decodeRtp(datagram!), sender.mediaSalt).index).toBe(65_536);
  });
});
