import { describe, expect, it } from 'vitest';
import { uplinkRate } from '../../bench/engine/uplink-rate.js';
import { MediaChannel } from '../../electron/net/media-channel.js';
import { LIMITS, OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { encodeControl } from '../../server/protocol/control.js';

/** 20 ms of media time at 48 kHz. */
const FRAME = 960;

interface Sent {
  timestamp: number;
  marker?: boolean;
  /** Opus bytes; 0 is the end-of-talkspurt marker. */
  payloadBytes: number;
}

/** The datagrams a talker sends, sealed as the client seals them: RTP header, roll-over byte, ciphertext, 16-byte tag. */
async function sealed(packets: readonly Sent[]): Promise<Buffer[]> {
  const channel = await MediaChannel.create('secret', 'room');
  return packets.map((packet, sequence) =>
    channel.seal({ marker: packet.marker ?? false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: packet.timestamp >>> 0, ssrc: 7 }, new Uint8Array(packet.payloadBytes)),
  );
}

const spurt = (from: number, frames: number, payloadBytes: number): Sent[] =>
  Array.from({ length: frames }, (_, k) => ({ timestamp: from + k * FRAME, marker: k === 0, payloadBytes }));

/** What sealing and IPv4 + UDP add to each media datagram: 12 + 1 + 16 + 28 bytes. */
const MEDIA_OVERHEAD = 57;

describe('the engine bench’s uplink rate', () => {
  it('counts every media packet over the talkspurts’ media time, and the control traffic over the run', async () => {
    // Two talkspurts, each closed by an end marker: 10 frames of 60 bytes (200 ms), then 5 of 80 bytes (100 ms).
    const media = await sealed([...spurt(0, 10, 60), { timestamp: 10 * FRAME, payloadBytes: 0 }, ...spurt(48_000, 5, 80), { timestamp: 48_000 + 5 * FRAME, payloadBytes: 0 }]);
    expect(media[0]!.length).toBe(60 + MEDIA_OVERHEAD - 28);
    const hello = encodeControl({ type: 'hello', clientNonce: new Uint8Array(16) });
    expect(hello.length).toBe(LIMITS.helloBytes);

    const rate = uplinkRate([hello, ...media, hello], { mode: 'talking', frameMs: 20, silentSeconds: 0, wallMs: 1_000 });

    // Payload 1,000 bytes over 300 ms; on the wire 17 packets' overhead more; two 96-byte hellos (+28) over the 1 s run.
    expect(rate).toEqual({ seconds: 0.3, packets: 17, payloadKbps: 26.67, wireKbps: 52.51, keepaliveWireKbps: 1.98 });
  });

  it('splits talkspurts at a marker after a gap (a lost end marker), not at a marker within a steady stream', async () => {
    // 3 frames, then a marker one frame on (still one spurt: 4 frames), then a marker after 1 s of silence (2 frames).
    const packets = [...spurt(0, 3, 10), { timestamp: 3 * FRAME, marker: true, payloadBytes: 10 }, ...spurt(48_000, 2, 10)];
    const rate = uplinkRate(await sealed(packets), { mode: 'talking', frameMs: 20, silentSeconds: 0, wallMs: 1_000 });
    // 80 + 40 ms of media time; 6 × 10 bytes.
    expect(rate).toEqual({ seconds: 0.12, packets: 6, payloadKbps: 4, wireKbps: 26.8, keepaliveWireKbps: 0 });
  });

  it('counts silence after the first second, over the rest of the input, across a timestamp wrap', async () => {
    // A DTX update of 3 bytes every 400 ms for 6 s, the RTP timestamp wrapping 2 s in: 12 of the 15 fall after the first second.
    const wrapsAt = 2 ** 32 - 2 * 48_000;
    const updates = Array.from({ length: 15 }, (_, k) => ({ timestamp: wrapsAt + k * 19_200, payloadBytes: 3 }));
    const rate = uplinkRate(await sealed(updates), { mode: 'silent', frameMs: 20, silentSeconds: 6, wallMs: 6_100 });
    // 36 bytes, and 12 × 60 on the wire, over 5 s.
    expect(rate).toEqual({ seconds: 5, packets: 12, payloadKbps: 0.06, wireKbps: 1.15, keepaliveWireKbps: 0 });
  });

  it('gives zero packets and zero rates when nothing was sent', () => {
    expect(uplinkRate([], { mode: 'silent', frameMs: 20, silentSeconds: 6, wallMs: 6_100 })).toEqual({ seconds: 5, packets: 0, payloadKbps: 0, wireKbps: 0, keepaliveWireKbps: 0 });
  });
});
