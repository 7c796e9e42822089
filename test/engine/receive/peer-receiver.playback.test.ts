import { describe, expect, it } from 'vitest';
import { SPLICE_SAMPLES } from '../../../electron/engine/receive/playout.js';
import type { PeerReceiveStats } from '../../../electron/engine/receive/receive-stats.js';
import { speechFixture, voicedSignal } from './support/signals.js';
import { bestLagUpTo, deliver, play, referenceDecode, TestSender } from './support/stream.js';
import { firstMismatch, receiverFactory, silentBetween } from './support/receivers.js';

const createReceiver = receiverFactory();

/** Output sample index of the block pulled at `nowMs` when pulls start at `fromMs`. */
function blockStart(nowMs: number, fromMs: number): number {
  return ((nowMs - fromMs) / 10) * 480;
}

describe('PeerReceiver playback of a clean stream', () => {
  it('plays in-order speech one frame behind its arrival, sample-exact to a plain decode, and like the source', async () => {
    const source = speechFixture().subarray(0, 83 * 960); // 1.66 s: 83 frames of 20 ms
    const packets = new TestSender().talkspurt(source, 1000);
    const receiver = await createReceiver();
    const output = play(receiver, deliver(packets, () => 30), 1000, 2900);

    // The first frame is complete at 1020, arrives at 1050 and plays from the 1050 pull, after the 2.5 ms lead-in.
    const start = blockStart(1050, 1000) + SPLICE_SAMPLES;
    const reference = await referenceDecode(packets.map((packet) => packet.opus));
    expect(silentBetween(output, 0, start)).toBe(true);
    // Sample-exact but for the 2.5 ms fade-in at the start and fade-out at the end marker.
    expect(firstMismatch(output, start + SPLICE_SAMPLES, reference, SPLICE_SAMPLES, reference.length - 2 * SPLICE_SAMPLES)).toBe(-1);
    expect(silentBetween(output, start + reference.length, output.length)).toBe(true);

    // The decoded speech is the source, delayed by the codec's 6.5 ms look-ahead.
    const aligned = bestLagUpTo(source, output, 4000);
    expect(aligned.lag - start).toBeGreaterThanOrEqual(300);
    expect(aligned.lag - start).toBeLessThanOrEqual(320);
    expect(aligned.correlation).toBeGreaterThan(0.9);

    expect(receiver.stats()).toMatchObject({
      packetsReceived: 84,
      lost: 0,
      late: 0,
      duplicates: 0,
      concealedPct: 0,
      timeCompressedMs: 0,
      targetDelayMs: 20,
      jitterMs: 0,
      talking: false,
      bufferedFrames: 0,
    });
  });

  it('holds the whole stream one frame deep while playing, and says it is talking', async () => {
    const packets = new TestSender().talkspurt(voicedSignal(1000), 1000);
    const receiver = await createReceiver();
    const seen: { talking: boolean; bufferDelayMs: number; level: number }[] = [];
    play(receiver, deliver(packets, () => 30), 1000, 2200, () => seen.push(receiver.stats()));
    const during = seen.slice(10, 100); // 1100..2000 ms
    expect(during.every((s) => s.talking)).toBe(true);
    expect(Math.max(...during.map((s) => s.bufferDelayMs))).toBeLessThanOrEqual(12.5);
    expect(Math.min(...during.map((s) => s.level))).toBeGreaterThan(-30);
    expect(seen.slice(0, 5).every((s) => !s.talking && s.level === -100)).toBe(true);
    expect(seen.slice(-10).every((s) => !s.talking && s.level === -100)).toBe(true);
  });

  it('plays reordered packets exactly as in order, one jitter allowance later', async () => {
    const sender = new TestSender();
    // Two talkspurts: in the first the receiver learns how the network behaves; the second is compared.
    const packets = [...sender.talkspurt(voicedSignal(1000), 1000), ...sender.talkspurt(voicedSignal(1000), 3000)];
    // Every even packet is held up 25 ms and so arrives 5 ms after its successor.
    const inOrder = deliver(packets, () => 30);
    const reordered = deliver(packets, (_, index) => (index % 2 === 0 ? 55 : 30));
    expect(reordered[1]!.arrivalMs).toBeLessThan(reordered[0]!.arrivalMs);
    const first = await createReceiver();
    const second = await createReceiver();
    const a = play(first, inOrder, 1000, 4400);
    let afterFirst: PeerReceiveStats | undefined;
    const b = play(second, reordered, 1000, 4400, (now) => {
      if (now === 2900) afterFirst = second.stats();
    });
    // The second talkspurt starts at 3050 in order; the second receiver waits out its 25 ms allowance, to the 3080 tick.
    const from = blockStart(3000, 1000);
    const shift = blockStart(3080, 1000) - blockStart(3050, 1000);
    expect(firstMismatch(b, from + shift, a, from, a.length - from - shift)).toBe(-1);
    expect(second.stats()).toMatchObject({ targetDelayMs: 45, timeCompressedMs: 0, timeStretchedMs: 0 });
    // Only at the very start, with nothing measured yet, did an early successor cost its predecessor.
    expect(afterFirst).toMatchObject({ late: 1, lost: 0 });
    expect(second.stats()).toMatchObject({ late: 1, lost: 0 });
  });

  it('ignores duplicates and counts them', async () => {
    const packets = new TestSender().talkspurt(voicedSignal(500), 1000);
    const once = deliver(packets, () => 30);
    const twice = once.flatMap((packet) => [packet, { ...packet, arrivalMs: packet.arrivalMs + 3 }]);
    const first = await createReceiver();
    const second = await createReceiver();
    const a = play(first, once, 1000, 1700);
    const b = play(second, twice, 1000, 1700);
    expect(firstMismatch(a, 0, b, 0, a.length)).toBe(-1);
    expect(second.stats()).toMatchObject({ packetsReceived: 26, duplicates: 26, lost: 0 });
  });

  it('plays across timestamp wrap-around exactly as without (the sequence number’s wrap the session’s packet index has carried on)', async () => {
    const source = voicedSignal(1000);
    const plain = new TestSender({ firstSequence: 100, firstTimestamp: 5000 }).talkspurt(source, 1000);
    // Both counters wrap mid-talkspurt: the sequence after 25 packets, the timestamp after about 30.
    const wrapping = new TestSender({ firstSequence: 65_511, firstTimestamp: 2 ** 32 - 48_000 - 30 * 960 }).talkspurt(source, 1000);
    expect(wrapping.some((packet) => packet.sequence === 0) && wrapping.some((packet) => packet.timestamp < 48_000)).toBe(true);
    const first = await createReceiver();
    const second = await createReceiver();
    const a = play(first, deliver(plain, () => 30), 1000, 2200);
    const b = play(second, deliver(wrapping, () => 30), 1000, 2200);
    expect(firstMismatch(a, 0, b, 0, a.length)).toBe(-1);
    expect(second.stats()).toMatchObject({ lost: 0, late: 0, concealedPct: 0, packetsReceived: 51 });
  });

  it('ends at the end marker with no concealment after it, and starts the next talkspurt on time', async () => {
    const sender = new TestSender();
    const first = sender.talkspurt(voicedSignal(400), 1000);
    const second = sender.talkspurt(voicedSignal(400), 2000);
    const receiver = await createReceiver();
    const output = play(receiver, deliver([...first, ...second], () => 30), 1000, 2600);
    const reference = await referenceDecode(first.map((packet) => packet.opus));
    const start = blockStart(1050, 1000) + SPLICE_SAMPLES;
    const end = start + reference.length;
    // The last 2.5 ms fade out, then exact silence until the next talkspurt.
    expect(firstMismatch(output, start + SPLICE_SAMPLES, reference, SPLICE_SAMPLES, reference.length - 2 * SPLICE_SAMPLES)).toBe(-1);
    expect(Math.abs(output[end - 1]!)).toBeLessThan(Math.abs(reference[reference.length - 1]!) * 0.01 + 1e-9);
    const secondStart = blockStart(2050, 1000) + SPLICE_SAMPLES;
    expect(silentBetween(output, end, secondStart)).toBe(true);
    expect(Math.abs(output[secondStart + 1000]!)).toBeGreaterThan(0);
    expect(receiver.stats()).toMatchObject({ concealedPct: 0, lost: 0, packetsReceived: 42 });
  });

  it.each([10, 40] as const)('plays %i ms frames sample-exact to a plain decode', async (frameMs) => {
    const sender = new TestSender({ frameMs });
    const packets = sender.talkspurt(voicedSignal(800), 1000);
    const receiver = await createReceiver();
    const output = play(receiver, deliver(packets, () => 30), 1000, 2000);
    // The first frame is complete at 1000 + frameMs and arrives 30 ms later, on a 10 ms tick.
    const start = blockStart(1000 + frameMs + 30, 1000) + SPLICE_SAMPLES;
    const reference = await referenceDecode(packets.map((packet) => packet.opus));
    expect(silentBetween(output, 0, start)).toBe(true);
    expect(firstMismatch(output, start + SPLICE_SAMPLES, reference, SPLICE_SAMPLES, reference.length - 2 * SPLICE_SAMPLES)).toBe(-1);
    expect(receiver.stats()).toMatchObject({ lost: 0, concealedPct: 0, targetDelayMs: frameMs, timeCompressedMs: 0, timeStretchedMs: 0 });
  });

  it('plays the last frame even when the end marker overtakes it', async () => {
    const packets = new TestSender().talkspurt(voicedSignal(400), 1000);
    // The end marker (21st packet) arrives 15 ms before the last frame.
    const arrivals = deliver(packets, (_, index) => (index === 19 ? 55 : 20));
    expect(arrivals[20]!.arrivalMs).toBeLessThan(arrivals[19]!.arrivalMs);
    // A 60 ms floor leaves the last frame time to arrive; the early marker must not cut it off.
    const receiver = await createReceiver({ minDelayMs: 60 });
    const output = play(receiver, arrivals, 1000, 1600);
    expect(receiver.stats()).toMatchObject({ lost: 0, late: 0, packetsReceived: 21, concealedPct: 0, targetDelayMs: 60 });
    const reference = await referenceDecode(packets.map((packet) => packet.opus));
    const start = blockStart(1080, 1000) + SPLICE_SAMPLES; // arrived at 1040, due 40 ms of allowance later
    expect(firstMismatch(output, start + SPLICE_SAMPLES, reference, SPLICE_SAMPLES, reference.length - 2 * SPLICE_SAMPLES)).toBe(-1);
  });
});
