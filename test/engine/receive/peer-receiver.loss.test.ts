import { describe, expect, it } from 'vitest';
import { SPLICE_SAMPLES } from '../../../electron/engine/receive/playout.js';
import { matchSegments } from '../../support/audio-compare.js';
import { rms } from '../../support/signals.js';
import { loopedSpeech, seededRandom, voicedSignal } from './support/signals.js';
import { bestLagUpTo, deliver, play, referenceDecode, TestSender, type SentPacket } from './support/stream.js';
import { firstMismatch, receiverFactory, silentBetween } from './support/receivers.js';

const createReceiver = receiverFactory();
const FRAME = 960;
/** The first talkspurt below arrives from 1050 and plays from the 1050 tick, after the lead-in. */
const START = 5 * 480 + SPLICE_SAMPLES;

describe('PeerReceiver under packet loss', () => {
  it('recovers a lost packet from the next packet’s RED copy, sample-exact to the lossless run', async () => {
    const packets = new TestSender({ red: true }).talkspurt(voicedSignal(1000), 1000);
    const lossless = await createReceiver();
    const lossy = await createReceiver();
    const a = play(lossless, deliver(packets, () => 30), 1000, 2400);
    const b = play(lossy, deliver(packets, (_, index) => (index === 20 ? undefined : 30)), 1000, 2400);
    expect(firstMismatch(b, 0, a, 0, a.length)).toBe(-1);
    expect(lossy.stats()).toMatchObject({ recoveredByRed: 1, recoveredByRedPct: 2, lost: 0, lostPct: 0, concealedPct: 0 });
    // RED is in use, so the target waits for the copy: one frame more.
    expect(lossy.stats().targetDelayMs).toBe(40);
  });

  it('at RED depth 2 recovers two packets lost back to back from the one after, sample-exact, waiting two frames for the copies', async () => {
    const packets = new TestSender({ red: true, redDepth: 2 }).talkspurt(voicedSignal(1000), 1000);
    const lossless = await createReceiver();
    const lossy = await createReceiver();
    const a = play(lossless, deliver(packets, () => 30), 1000, 2400);
    const b = play(lossy, deliver(packets, (_, index) => (index === 40 || index === 41 ? undefined : 30)), 1000, 2400);
    expect(firstMismatch(b, 0, a, 0, a.length)).toBe(-1);
    expect(lossy.stats()).toMatchObject({ recoveredByRed: 2, lost: 0, late: 0, concealedPct: 0 });
    expect(lossy.stats().targetDelayMs).toBe(60);
  });

  it('while the delay still grows to the RED target (by stretching speech), a copy due sooner conceals one frame while it waits, and loses nothing', async () => {
    // The first packet carries no copy, so the talkspurt starts at one frame's delay; the target then rises by the
    // redundancy distance (40 ms at depth 2), and stretching adds at most a pitch period per frame, so it takes a while.
    const packets = new TestSender({ red: true, redDepth: 2 }).talkspurt(voicedSignal(1000), 1000);
    const lossy = await createReceiver();
    play(lossy, deliver(packets, (_, index) => (index === 20 || index === 21 ? undefined : 30)), 1000, 2400);
    const stats = lossy.stats();
    expect(stats).toMatchObject({ recoveredByRed: 2, lost: 0, late: 0 });
    // Exactly one 20 ms concealment step, among the 1000 ms decoded and what stretching added.
    const decodedMs = 1000 + stats.timeStretchedMs;
    expect(stats.concealedPct).toBeCloseTo((100 * 20) / (20 + decodedMs), 9);
  });

  it('conceals a lost packet without RED for exactly one frame, not with silence, and counts it', async () => {
    const packets = new TestSender().talkspurt(voicedSignal(1000), 1000);
    const receiver = await createReceiver();
    const output = play(receiver, deliver(packets, (_, index) => (index === 20 ? undefined : 30)), 1000, 2400);
    const reference = await referenceDecode(packets.map((packet) => packet.opus));
    // Sample-exact up to the lost frame...
    expect(firstMismatch(output, START + SPLICE_SAMPLES, reference, SPLICE_SAMPLES, 20 * FRAME - SPLICE_SAMPLES)).toBe(-1);
    // ...which is concealed with sound of about the same strength...
    const concealed = output.subarray(START + 20 * FRAME, START + 21 * FRAME);
    expect(rms(concealed)).toBeGreaterThan(0.5 * rms(reference, 19 * FRAME, 20 * FRAME));
    // ...and the talkspurt keeps its length: playback ends exactly where the lossless one would.
    expect(Math.abs(output[START + 50 * FRAME - SPLICE_SAMPLES - 1]!)).toBeGreaterThan(0);
    expect(silentBetween(output, START + 50 * FRAME, output.length)).toBe(true);
    expect(receiver.stats()).toMatchObject({ lost: 1, lostPct: 2, recoveredByRed: 0, concealedPct: 2, late: 0 });
  });

  it('fades a long gap to exact silence within 100 ms, then starts the next talkspurt cleanly', async () => {
    const sender = new TestSender();
    const first = sender.talkspurt(voicedSignal(500), 1000, false); // the sender vanishes: no end marker
    const second = sender.talkspurt(voicedSignal(500), 2000);
    const receiver = await createReceiver();
    const output = play(receiver, deliver([...first, ...second], () => 30), 1000, 2700);
    const end = START + 25 * FRAME;
    const reference = await referenceDecode(first.map((packet) => packet.opus));
    expect(firstMismatch(output, START + SPLICE_SAMPLES, reference, SPLICE_SAMPLES, 25 * FRAME - SPLICE_SAMPLES)).toBe(-1);
    // Full-strength concealment first, fading from 60 ms, exact silence from 100 ms.
    expect(rms(output, end, end + FRAME)).toBeGreaterThan(0.5 * rms(reference, 24 * FRAME, 25 * FRAME));
    expect(rms(output, end + 80 * 48, end + 100 * 48)).toBeLessThan(0.5 * rms(output, end, end + FRAME));
    const secondStart = 105 * 480 + SPLICE_SAMPLES; // the 2050 tick
    expect(silentBetween(output, end + 100 * 48, secondStart)).toBe(true);
    expect(rms(output, secondStart + FRAME, secondStart + 2 * FRAME)).toBeGreaterThan(0.05);
    // 100 ms concealed against 1000 ms decoded; nothing was lost (the sender sent nothing more).
    expect(receiver.stats().concealedPct).toBeCloseTo((100 * 100) / 1100, 6);
    expect(receiver.stats()).toMatchObject({ lost: 0, late: 0 });
  });

  it('rides out a burst of eight lost packets: fade to silence, then resume with the packets after it', async () => {
    const packets = new TestSender().talkspurt(voicedSignal(1000), 1000);
    const receiver = await createReceiver();
    const lost = (index: number) => index >= 20 && index < 28;
    const output = play(receiver, deliver(packets, (_, index) => (lost(index) ? undefined : 30)), 1000, 2600);
    const reference = await referenceDecode(packets.map((packet) => packet.opus));
    const holeStart = START + 20 * FRAME;
    expect(silentBetween(output, holeStart + 100 * 48, holeStart + 8 * FRAME)).toBe(true);
    // Playback resumes in place with the next packet; libopus eases its gain back in over a few frames.
    const resumed = output.subarray(START + 32 * FRAME, START + 48 * FRAME);
    expect(bestLagUpTo(reference.subarray(32 * FRAME, 48 * FRAME), resumed, 0).correlation).toBeGreaterThan(0.99);
    expect(rms(output, START + 40 * FRAME, START + 41 * FRAME)).toBeCloseTo(rms(reference, 40 * FRAME, 41 * FRAME), 3);
    expect(receiver.stats()).toMatchObject({ lost: 8, lostPct: 16, late: 0 });
  });

  it('at seeded 10 % random loss, RED keeps speech closer to the lossless playout than concealment alone', async () => {
    // 10 s of speech, sent once with RED and once without: the same Opus frames, as the encoder is deterministic.
    const speech = loopedSpeech(10_000);
    const withRed = new TestSender({ red: true }).talkspurt(speech, 1000);
    const plain = new TestSender().talkspurt(speech, 1000);
    expect(withRed.map((packet) => packet.opus)).toEqual(plain.map((packet) => packet.opus));
    // The n-th packet meets the same fate in both streams. The talkspurt's first packet and its end marker always arrive.
    const random = seededRandom(10);
    const dropped = withRed.map((_, index) => index > 0 && index < withRed.length - 1 && random() < 0.1);
    const drops = dropped.filter(Boolean).length;
    // A frame is gone for good with RED only when the packet after it, which carries its copy, was dropped too.
    const backToBack = dropped.filter((isDropped, index) => isDropped && dropped[index + 1]).length;
    expect({ drops, backToBack }).toEqual({ drops: 46, backToBack: 4 });

    const playThrough = async (packets: readonly SentPacket[], lossy: boolean) => {
      const receiver = await createReceiver();
      const output = play(receiver, deliver(packets, (_, index) => (lossy && dropped[index] ? undefined : 30)), 1000, 11_500);
      return { output, stats: receiver.stats() };
    };
    const redLossless = await playThrough(withRed, false);
    const redLossy = await playThrough(withRed, true);
    const plainLossless = await playThrough(plain, false);
    const plainLossy = await playThrough(plain, true);
    expect(redLossy.stats).toMatchObject({ recoveredByRed: drops - backToBack, lost: backToBack, late: 0 });
    expect(plainLossy.stats).toMatchObject({ recoveredByRed: 0, lost: drops, late: 0 });

    // Each lossy playout against its own lossless twin (same delay, so no shift), in 100 ms voiced segments.
    const red = matchSegments(redLossy.output, redLossless.output, 0, { segmentMs: 100 });
    const concealed = matchSegments(plainLossy.output, plainLossless.output, 0, { segmentMs: 100 });
    // A RED copy is the lost frame itself, so the playout is the lossless one except around the four frames lost back to back...
    expect(red.medianCorrelation).toBeCloseTo(1, 9);
    expect(red.lowDecileCorrelation).toBeGreaterThan(0.999);
    // ...while concealment guesses every dropped frame, and the damaged tenth of the segments shows it.
    expect(concealed.lowDecileCorrelation).toBeLessThan(0.8);
    expect(red.lowDecileCorrelation).toBeGreaterThan(concealed.lowDecileCorrelation + 0.2);
    expect(red.medianCorrelation).toBeGreaterThanOrEqual(concealed.medianCorrelation);
  });
});
