import { describe, expect, it } from 'vitest';
import { OPUS_PAYLOAD_TYPE } from '../../../server/protocol/constants.js';
import { RtpPacketizer } from '../../../electron/engine/send/packetizer.js';

describe('RTP packetizer', () => {
  it('counts sequence numbers by one and stamps the capture position, wrapping both', () => {
    const packetizer = new RtpPacketizer({ sequence: 0xfffe, timestamp: 0xffff_fc00 });
    const payload = Uint8Array.of(1, 2, 3);
    const packets = [0, 960, 1920].map((at, i) => packetizer.packet(OPUS_PAYLOAD_TYPE, payload, at, i === 0));
    expect(packets.map((p) => [p.sequence, p.timestamp, p.marker])).toEqual([
      [0xfffe, 0xffff_fc00, true],
      [0xffff, (0xffff_fc00 + 960) % 2 ** 32, false],
      [0, (0xffff_fc00 + 1920) % 2 ** 32, false],
    ]);
    expect(packetizer.timestampAt(2 ** 40)).toBe((0xffff_fc00 + 2 ** 40) % 2 ** 32);
  });

  it('starts from random numbers by default', () => {
    const starts = Array.from({ length: 8 }, () => new RtpPacketizer().packet(OPUS_PAYLOAD_TYPE, Uint8Array.of(1), 0, true));
    expect(new Set(starts.map((p) => p.timestamp)).size).toBeGreaterThan(1);
    expect(new Set(starts.map((p) => p.sequence)).size).toBeGreaterThan(1);
  });
});
