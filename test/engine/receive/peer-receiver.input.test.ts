import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncomingPacket } from '../../../electron/engine/receive/peer-receiver.js';
import { LOSS_UNKNOWN } from '../../../server/protocol/session-messages.js';
import { OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../../server/protocol/constants.js';
import { encodeRed } from '../../../server/protocol/red.js';
import { voicedSignal } from './support/signals.js';
import { deliver, play, TestSender } from './support/stream.js';
import { firstMismatch, receiverFactory, silentBetween } from './support/receivers.js';

const createReceiver = receiverFactory();

function packet(extra: Partial<IncomingPacket>): IncomingPacket {
  return { index: 1, timestamp: 960, marker: false, payloadType: OPUS_PAYLOAD_TYPE, payload: Uint8Array.of(0x48, 1, 2), arrivalMs: 0, ...extra };
}

describe('PeerReceiver with bad input', () => {
  const garbage: [string, IncomingPacket][] = [
    ['unknown payload type', packet({ payloadType: 0 })],
    ['RED header cut short', packet({ payloadType: RED_PAYLOAD_TYPE, payload: Uint8Array.of(0x80 | 111, 0) })],
    ['RED block past the end', packet({ payloadType: RED_PAYLOAD_TYPE, payload: Uint8Array.of(0x80 | 111, 0, 0x0c, 0x10, 111, 1) })],
    ['RED primary not Opus', packet({ payloadType: RED_PAYLOAD_TYPE, payload: Uint8Array.of(96, 1, 2) })],
    ['empty RED payload', packet({ payloadType: RED_PAYLOAD_TYPE, payload: new Uint8Array(0) })],
    ['Opus code 3 with no frames', packet({ payload: Uint8Array.of(0x4b, 0) })],
    ['Opus code 1 of odd length', packet({ payload: Uint8Array.of(0x49, 1, 2, 3) })],
    ['oversized payload', packet({ payload: new Uint8Array(1500).fill(0x48) })],
    ['packet index out of range', packet({ index: 2 ** 48 })],
    ['negative packet index', packet({ index: -1 })],
    ['negative timestamp', packet({ timestamp: -1 })],
    ['fractional packet index', packet({ index: 1.5 })],
    ['arrival not a number', packet({ arrivalMs: Number.NaN })],
    ['payload not bytes', packet({ payload: [1, 2, 3] as unknown as Uint8Array })],
  ];

  it.each(garbage)('counts and drops a packet with %s', async (_, bad) => {
    const receiver = await createReceiver();
    expect(() => receiver.insert(bad)).not.toThrow();
    expect(receiver.stats()).toMatchObject({ malformed: 1, packetsReceived: 0, bufferedFrames: 0 });
    expect(silentBetween(receiver.pull(100), 0, 480)).toBe(true);
  });

  it('plays a stream salted with garbage exactly as the clean stream', async () => {
    const clean = deliver(new TestSender().talkspurt(voicedSignal(600), 1000), () => 30);
    // Each bad packet is given a good one's arrival time (so the one whose fault is its arrival time is left out).
    const salt = garbage.map(([, bad]) => bad).filter((bad) => Number.isFinite(bad.arrivalMs));
    const salted = clean.flatMap((good, i) => [{ ...salt[i % salt.length]!, arrivalMs: good.arrivalMs }, good]);
    const first = await createReceiver();
    const second = await createReceiver();
    const a = play(first, clean, 1000, 1800);
    const b = play(second, salted, 1000, 1800);
    expect(firstMismatch(a, 0, b, 0, a.length)).toBe(-1);
    expect(second.stats().malformed).toBe(clean.length);
  });

  it('never throws and always plays a full block, whatever arrives and whenever it is pulled', async () => {
    const receiver = await createReceiver();
    const valid = new TestSender({ red: true }).talkspurt(voicedSignal(200), 0);
    const anyPacket = fc.record({
      index: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer()),
      timestamp: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.double()),
      marker: fc.boolean(),
      payloadType: fc.constantFrom(OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE, 0, 127),
      payload: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(...valid.map((p) => p.payload))),
      arrivalMs: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(anyPacket, fc.double({ min: 0, max: 1e6, noNaN: true })), { maxLength: 60 }), (events) => {
        for (const event of events) {
          if (typeof event === 'number') {
            const block = receiver.pull(event);
            expect(block.length).toBe(480);
            expect(block.every((sample) => Number.isFinite(sample) && Math.abs(sample) <= 2)).toBe(true);
          } else {
            receiver.insert(event);
          }
        }
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(receiver.stats().bufferedFrames).toBeLessThanOrEqual(256);
  });

  it('keeps its memory bounded under a flood, then catches up to the newest audio', async () => {
    const sender = new TestSender();
    const frame = sender.talkspurt(voicedSignal(20), 0, false)[0]!.opus;
    const receiver = await createReceiver();
    // 20 000 distinct packets (400 s of audio) in one burst, before any playout.
    for (let k = 0; k < 20_000; k++) {
      receiver.insert({ index: k, timestamp: (k * 960) >>> 0, marker: k === 0, payloadType: OPUS_PAYLOAD_TYPE, payload: frame, arrivalMs: 1000 });
    }
    expect(receiver.stats()).toMatchObject({ packetsReceived: 20_000, bufferedFrames: 256, discarded: 20_000 - 256 });
    // Such a burst reads as enormous jitter, so the target goes to its 400 ms maximum; playout skips
    // straight to the newest 400 ms instead of playing seconds-old audio.
    expect(receiver.pull(1000).some((sample) => sample !== 0)).toBe(true);
    expect(receiver.stats()).toMatchObject({ targetDelayMs: 400, bufferedFrames: 400 / 20 - 1, discarded: 20_000 - 400 / 20 });
  });

  it('follows a sender that restarts its sequence numbers and timestamps, losing only the packet that revealed it', async () => {
    const first = new TestSender({ firstSequence: 50_000, firstTimestamp: 3_000_000_000 }).talkspurt(voicedSignal(400), 1000);
    const second = new TestSender({ firstSequence: 7, firstTimestamp: 11 }).talkspurt(voicedSignal(400), 2000);
    const receiver = await createReceiver();
    const output = play(receiver, deliver([...first, ...second], () => 30), 1000, 2600);
    expect(receiver.stats()).toMatchObject({ malformed: 1, late: 0, packetsReceived: 21 + 20 });
    // The restarted stream plays from its second packet, scheduled afresh.
    expect(output.subarray(110 * 480, 140 * 480).some((sample) => sample !== 0)).toBe(true);
    expect(receiver.receiverReport().lossPermille).toBe(0);
  });

  it('drops a flood of copies of one packet as duplicates', async () => {
    const receiver = await createReceiver();
    const [first] = deliver(new TestSender().talkspurt(voicedSignal(20), 0, false), () => 0);
    for (let i = 0; i < 10_000; i++) receiver.insert(first!);
    expect(receiver.stats()).toMatchObject({ packetsReceived: 1, duplicates: 9_999, bufferedFrames: 1 });
  });
});

describe('PeerReceiver volume, mute and reports', () => {
  it('applies volume and mute with a one-block ramp, and refuses volumes outside 0–2', async () => {
    const packets = deliver(new TestSender().talkspurt(voicedSignal(600), 1000), () => 30);
    const unity = await createReceiver();
    const quiet = await createReceiver();
    const reference = play(unity, packets, 1000, 1700);
    let tick = 0;
    const output = play(quiet, packets, 1000, 1700, () => {
      tick++;
      if (tick === 20) quiet.volume = 0.5;
      if (tick === 40) quiet.muted = true;
      if (tick === 50) quiet.muted = false;
    });
    const block = (b: number) => [b * 480, (b + 1) * 480] as const;
    // Before the change: identical; the block after it ramps; then exactly half.
    expect(firstMismatch(output, 0, reference, 0, 20 * 480)).toBe(-1);
    const [from, to] = block(25);
    for (let i = from; i < to; i++) expect(output[i]).toBeCloseTo(reference[i]! * 0.5, 6);
    expect(silentBetween(output, ...[block(41)[0], block(49)[1]] as [number, number])).toBe(true);
    expect(output[block(51)[0] + 10]).toBeCloseTo(reference[block(51)[0] + 10]! * 0.5, 6);
    expect(quiet.stats().level).toBe(unity.stats().level); // the meter reads the peer, not our slider
    expect(() => (quiet.volume = 2.5)).toThrow(RangeError);
    expect(() => (quiet.volume = -0.1)).toThrow(RangeError);
    expect(() => (quiet.volume = Number.NaN)).toThrow(RangeError);
    expect(quiet.volume).toBe(0.5);
  });

  it('reports RFC 3550 loss since the last report, and unknown when nothing was expected', async () => {
    const packets = new TestSender().talkspurt(voicedSignal(2000), 1000, false); // 100 packets
    const receiver = await createReceiver();
    // Packets 10, 30, 50, 70, 90 are lost; 20 arrives twice (a duplicate does not hide a loss).
    const arrivals = deliver(packets, (_, i) => (i % 20 === 10 ? undefined : 30));
    for (const arrival of arrivals) receiver.insert(arrival);
    receiver.insert(arrivals[19]!);
    expect(receiver.receiverReport()).toEqual({ lossPermille: 50, jitterMs: 0 });
    expect(receiver.receiverReport()).toEqual({ lossPermille: LOSS_UNKNOWN, jitterMs: 0 });
  });

  it('measures RFC 3550 interarrival jitter', async () => {
    const packets = new TestSender().talkspurt(voicedSignal(4000), 1000, false);
    const receiver = await createReceiver();
    // Transit alternates between 30 and 40 ms: every difference is 10 ms, and J converges on it.
    for (const arrival of deliver(packets, (_, i) => (i % 2 === 0 ? 30 : 40))) receiver.insert(arrival);
    expect(receiver.stats().jitterMs).toBeCloseTo(10 * (1 - (15 / 16) ** 199), 9);
    expect(receiver.receiverReport().jitterMs).toBe(10);
  });

  it('plays silence and ignores packets once closed', async () => {
    const receiver = await createReceiver();
    const arrivals = deliver(new TestSender().talkspurt(voicedSignal(100), 0), () => 0);
    receiver.insert(arrivals[0]!);
    receiver.close();
    receiver.insert(arrivals[1]!);
    expect(silentBetween(receiver.pull(500), 0, 480)).toBe(true);
    expect(receiver.stats().packetsReceived).toBe(1);
    receiver.close();
  });

  it('refuses impossible options with a clear error', async () => {
    await expect(createReceiver({ maxDelayMs: 10 })).rejects.toThrow('maxDelayMs must lie in 40–2000, got 10');
    await expect(createReceiver({ minDelayMs: 500 })).rejects.toThrow('minDelayMs must lie in 0–maxDelayMs, got 500');
  });

  it('uses a RED copy carried by the end marker itself', async () => {
    const sender = new TestSender();
    const packets = sender.talkspurt(voicedSignal(200), 1000); // 10 frames and the end marker
    const last = packets[9]!;
    const end = packets[10]!;
    const redEnd: IncomingPacket = {
      ...deliver([end], () => 30)[0]!,
      payloadType: RED_PAYLOAD_TYPE,
      payload: encodeRed([{ payloadType: OPUS_PAYLOAD_TYPE, timestampOffset: 960, data: last.opus }], { payloadType: OPUS_PAYLOAD_TYPE, data: new Uint8Array(0) }),
    };
    const arrivals = [...deliver(packets.slice(0, 9), () => 30), redEnd];
    const receiver = await createReceiver();
    play(receiver, arrivals, 1000, 1400);
    // The copy comes a frame after the original was due (nothing told the receiver to wait for RED): one frame concealed, then the copy played.
    expect(receiver.stats()).toMatchObject({ recoveredByRed: 1, lost: 0, packetsReceived: 10 });
    expect(receiver.stats().concealedPct).toBeCloseTo(100 / 11, 9);
  });
});
