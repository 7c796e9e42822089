import { describe, expect, it } from 'vitest';
import type { PeerReceiveStats } from '../../../electron/engine/receive/receive-stats.js';
import { loopedSpeech, seededRandom } from './support/signals.js';
import { deliver, play, TestSender } from './support/stream.js';
import { receiverFactory } from './support/receivers.js';

const createReceiver = receiverFactory();

/** Plays `arrivals` and keeps the stats seen at each whole second. */
function playLogged(
  receiver: Awaited<ReturnType<typeof createReceiver>>,
  arrivals: Parameters<typeof play>[1],
  fromMs: number,
  toMs: number,
): Map<number, PeerReceiveStats> {
  const seconds = new Map<number, PeerReceiveStats>();
  play(receiver, arrivals, fromMs, toMs, (now) => {
    if (now % 1000 === 0) seconds.set(now, receiver.stats());
  });
  return seconds;
}

describe('PeerReceiver under network jitter', () => {
  it('grows its target to cover ±30 ms of jitter, then shrinks back by compressing pauses once the network calms', async () => {
    const random = seededRandom(2026);
    const packets = new TestSender().talkspurt(loopedSpeech(16_000), 1000);
    // 6 s of delays spread evenly over 30–90 ms (±30 ms around 60, so packets overtake each other), then a steady 30 ms.
    const jittery = (sendMs: number) => sendMs < 7000;
    const arrivals = deliver(packets, (packet) => (jittery(packet.sendMs) ? 30 + 60 * random() : 30));
    expect(arrivals.some((packet, i) => i > 0 && packet.arrivalMs < arrivals[i - 1]!.arrivalMs)).toBe(true);
    const receiver = await createReceiver();
    const at = playLogged(receiver, arrivals, 1000, 17_200);

    // The 95th percentile of a 0–60 ms spread is 57 ms: one frame plus that.
    const rough = at.get(7000)!;
    expect(rough.targetDelayMs).toBeGreaterThanOrEqual(20 + 54);
    expect(rough.targetDelayMs).toBeLessThanOrEqual(20 + 60);
    expect(rough.jitterMs).toBeGreaterThan(10);
    // Once adapted (after the first second) hardly anything is concealed or late.
    const settled = at.get(2000)!;
    const framesAfter = (rough.lost + rough.late) - (settled.lost + settled.late);
    expect(framesAfter).toBeLessThanOrEqual(5); // of 250 packets
    expect(rough.concealedPct).toBeLessThan(5);

    // Five seconds after the jitter stops the history has forgotten it: the target is one frame again,
    // and the excess has been compressed away.
    const calm = at.get(17_000)!;
    expect(calm.targetDelayMs).toBe(20);
    expect(calm.bufferDelayMs).toBeLessThanOrEqual(20);
    expect(calm.timeCompressedMs).toBeGreaterThan(30);
    expect(calm.lost).toBe(rough.lost);
    expect(calm.late).toBe(rough.late);
  });

  it('absorbs a lasting 150 ms step in delay (a route change) with one stall and no lost packets', async () => {
    const packets = new TestSender().talkspurt(loopedSpeech(8000), 1000);
    const arrivals = deliver(packets, (_, index) => (index < 100 ? 30 : 180));
    const receiver = await createReceiver();
    const at = playLogged(receiver, arrivals, 1000, 9400);
    // While the fastest packets of the old route are remembered the target reads 150 ms higher...
    expect(at.get(4000)!.targetDelayMs).toBe(170);
    // ...and once they are forgotten it is one frame again, with the schedule unchanged: nothing compressed or stretched.
    expect(at.get(9000)!).toMatchObject({ targetDelayMs: 20, timeCompressedMs: 0, timeStretchedMs: 0 });
    expect(at.get(9000)!.bufferDelayMs).toBeLessThanOrEqual(20);
    // The stall was concealed for 100 ms and then waited in silence; nothing else was concealed or lost.
    const end = receiver.stats();
    expect(end).toMatchObject({ lost: 0, late: 0, discarded: 0 });
    expect(end.concealedPct).toBeCloseTo((100 * 100) / 8100, 9);
  });
});
