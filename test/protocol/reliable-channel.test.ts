import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../server/protocol/reliable/ack.js';
import { ReliableReceiver } from '../../server/protocol/reliable/reliable-receiver.js';
import { DEFAULT_RELIABLE_SENDER, ReliableSender, type Transmission } from '../../server/protocol/reliable/reliable-sender.js';
import { seededRandom } from '../support/prng.js';
import { CLEAN_LINK, SimulatedLink, type LinkShape } from '../support/simulated-link.js';

/**
 * Sender and receiver joined by a simulated link each way, on a simulated clock advanced 1 ms at a time.
 * Data goes one way, acks the other; the receiver acks every arrival, as the chat channel does.
 */
class SimulatedChannel {
  now = 0;
  readonly sender = new ReliableSender<string>();
  readonly receiver = new ReliableReceiver<string>({ window: DEFAULT_RELIABLE_SENDER.window });
  readonly delivered: string[] = [];
  readonly sentAt: Record<number, number[]> = {};
  readonly abandoned: string[] = [];
  private readonly data: SimulatedLink;
  private readonly acks: SimulatedLink;

  constructor(
    data: LinkShape,
    acks: LinkShape,
    seed = 1,
    private readonly dropData: (t: Transmission<string>) => boolean = () => false,
  ) {
    const random = seededRandom(seed);
    this.data = new SimulatedLink(data, random);
    this.acks = new SimulatedLink(acks, random);
  }

  run(untilMs: number): void {
    for (; this.now <= untilMs; this.now++) {
      this.data.deliverDue(this.now);
      this.acks.deliverDue(this.now);
      for (const t of this.sender.poll(this.now)) {
        (this.sentAt[t.seq] ??= []).push(this.now);
        if (!this.dropData(t)) this.data.carry(this.now, () => this.arrive(t));
      }
      for (const lost of this.sender.takeAbandoned()) this.abandoned.push(lost.payload);
    }
  }

  private arrive(t: Transmission<string>): void {
    this.delivered.push(...this.receiver.receive(t.seq, t.floor, t.payload).delivered.map((d) => d.payload));
    const ack: Ack = this.receiver.ack();
    this.acks.carry(this.now, () => this.sender.acknowledge(ack));
  }
}

const CLEAN = CLEAN_LINK;
const messages = (count: number): string[] => Array.from({ length: count }, (_, i) => `message ${i + 1}`);

describe('the reliable channel (sender and receiver on a simulated clock and link)', () => {
  it('on a clean link delivers each message once, in order, with no retransmission', () => {
    const channel = new SimulatedChannel(CLEAN, CLEAN);
    for (const text of messages(5)) channel.sender.send(text);
    channel.run(1_000);
    expect(channel.delivered).toEqual(messages(5));
    expect(channel.sender.retransmissions).toBe(0);
    expect(channel.sender.pending).toBe(0);
    expect(channel.sender.nextDueAt(channel.now)).toBeUndefined();
  });

  it('holds later arrivals until a lost message is sent again 300 ms later, then releases all in order', () => {
    const channel = new SimulatedChannel(CLEAN, CLEAN, 1, (t) => t.seq === 2 && t.attempt === 1);
    for (const text of messages(4)) channel.sender.send(text);
    channel.run(299);
    expect(channel.delivered).toEqual(['message 1']);
    channel.run(400);
    expect(channel.sentAt[2]).toEqual([0, 300]);
    expect(channel.delivered).toEqual(messages(4));
    expect(channel.sender.retransmissions).toBe(1);
  });

  it('doubles its wait from 300 ms to a 5 s cap, sends 8 times, then gives up 5 s after the last', () => {
    const channel = new SimulatedChannel({ ...CLEAN, lossPct: 100 }, CLEAN);
    channel.sender.send('into the void');
    channel.run(30_000);
    expect(channel.sentAt[1]).toEqual([0, 300, 900, 2_100, 4_500, 9_300, 14_300, 19_300]);
    expect(channel.abandoned).toEqual(['into the void']);
    expect(channel.sender.pending).toBe(0);
    expect(channel.sender.floor).toBe(2);
  });

  it('bases its first wait on the round trip once one is known', () => {
    const sender = new ReliableSender<string>();
    sender.setRoundTrip(400);
    sender.send('a');
    expect(sender.poll(0).map((t) => t.attempt)).toEqual([1]);
    expect(sender.nextDueAt(0)).toBe(800);
    sender.setRoundTrip(10);
    sender.send('b');
    sender.poll(1);
    expect(sender.nextDueAt(1)).toBe(301);
  });

  it('tells a receiver that waits for a given-up message to stop waiting, and delivers what came after it', () => {
    const channel = new SimulatedChannel(CLEAN, CLEAN, 1, (t) => t.seq === 2);
    for (const text of messages(3)) channel.sender.send(text);
    channel.run(20_000);
    // 3 arrived long ago but waits behind 2; nothing new carries the floor until the next message.
    expect(channel.delivered).toEqual(['message 1']);
    channel.run(25_000);
    expect(channel.abandoned).toEqual(['message 2']);
    channel.sender.send('message 4');
    channel.run(25_100);
    expect(channel.delivered).toEqual(['message 1', 'message 3', 'message 4']);
    expect(channel.receiver.skipped).toBe(1);
  });

  it('marks the first message released after a skipped one, and only that one', () => {
    const receiver = new ReliableReceiver<string>({ window: 32 });
    expect(receiver.receive(1, 1, 'a').delivered).toEqual([{ payload: 'a', afterGap: false }]);
    expect(receiver.receive(3, 1, 'c').delivered).toEqual([]);
    expect(receiver.receive(4, 3, 'd').delivered).toEqual([
      { payload: 'c', afterGap: true },
      { payload: 'd', afterGap: false },
    ]);
    expect(receiver.receive(6, 6, 'f').delivered).toEqual([{ payload: 'f', afterGap: true }]);
  });

  it('drops the copy a lost ack provokes, and acks it again so the sender stops', () => {
    let acksLost = 0;
    const channel = new SimulatedChannel(CLEAN, CLEAN);
    const acknowledge = channel.sender.acknowledge.bind(channel.sender);
    channel.sender.acknowledge = (ack) => (acksLost++ === 0 ? 0 : acknowledge(ack));
    channel.sender.send('once');
    channel.run(1_000);
    expect(channel.sentAt[1]).toEqual([0, 300]);
    expect(channel.delivered).toEqual(['once']);
    expect(channel.receiver.duplicates).toBe(1);
    expect(channel.sender.pending).toBe(0);
  });

  it('keeps at most 32 messages in flight: the 33rd is first sent when the 1st is acknowledged', () => {
    const channel = new SimulatedChannel(CLEAN, CLEAN);
    for (const text of messages(33)) channel.sender.send(text);
    channel.run(39);
    expect(Object.keys(channel.sentAt).length).toBe(32);
    channel.run(41);
    expect(channel.sentAt[33]).toEqual([40]);
    channel.run(200);
    expect(channel.delivered).toEqual(messages(33));
  });

  it('releases early arrivals in order and acks them selectively, so only the missing one is sent again', () => {
    const receiver = new ReliableReceiver<string>({ window: 32 });
    expect(receiver.receive(3, 1, 'c').delivered).toEqual([]);
    expect(receiver.receive(5, 1, 'e').delivered).toEqual([]);
    // Bit i names cumulative + 2 + i: 1 is the first missing, so 3 is bit 1 and 5 is bit 3.
    expect(receiver.ack()).toEqual({ cumulative: 0, selective: 0b1010 });
    expect(receiver.receive(1, 1, 'a').delivered).toEqual([{ payload: 'a', afterGap: false }]);
    expect(receiver.ack()).toEqual({ cumulative: 1, selective: 0b101 });

    const sender = new ReliableSender<string>();
    for (const text of ['a', 'b', 'c', 'd', 'e']) sender.send(text);
    sender.poll(0);
    expect(sender.acknowledge(receiver.ack())).toBe(3);
    expect(sender.poll(300).map((t) => t.seq)).toEqual([2, 4]);
  });

  it('ignores what a hostile peer claims: numbers beyond the window, a floor beyond it, acks of numbers never sent', () => {
    const receiver = new ReliableReceiver<string>({ window: 32 });
    expect(receiver.receive(1_000_000, 1, 'far').delivered).toEqual([]);
    expect(receiver.outOfWindow).toBe(1);
    expect(receiver.receive(2, 4_000_000_000, 'b').delivered).toEqual([]);
    // The floor moved the receiver at most one window on: 1–32 skipped, so 2 was a late copy.
    expect(receiver.ack().cumulative).toBe(32);

    const sender = new ReliableSender<string>();
    sender.send('a');
    sender.poll(0);
    expect(sender.acknowledge({ cumulative: 4_000_000_000, selective: 0xffffffff })).toBe(1);
    sender.send('b');
    expect(sender.poll(1).map((t) => t.seq)).toEqual([2]);
  });

  it('over any lossy, reordering, duplicating link: nothing twice, nothing out of order, all but what was given up', () => {
    const shape = fc.record({
      lossPct: fc.integer({ min: 0, max: 40 }),
      duplicatePct: fc.integer({ min: 0, max: 30 }),
      delayMs: fc.integer({ min: 1, max: 80 }),
      jitterMs: fc.integer({ min: 1, max: 120 }),
    });
    fc.assert(
      fc.property(shape, shape, fc.integer({ min: 1, max: 60 }), fc.integer(), (data, acks, count, seed) => {
        const channel = new SimulatedChannel(data, acks, seed);
        const sent = messages(count);
        // Sent in bursts, 10 ms apart, as someone typing and pasting would.
        sent.forEach((text, i) => {
          channel.run(i * 10);
          channel.sender.send(text);
        });
        channel.run(count * 10 + 30_000);
        // A final message carries the last floor, so a receiver waiting behind a given-up message moves on.
        channel.sender.send('last');
        channel.run(count * 10 + 60_000);
        const got = channel.delivered.filter((text) => text !== 'last');
        expect(new Set(got).size).toBe(got.length);
        expect(got).toEqual(sent.filter((text) => got.includes(text)));
        // A given-up message may still have arrived (its acks were what was lost); nothing else may be missing.
        expect(sent.filter((text) => !got.includes(text) && !channel.abandoned.includes(text))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
