import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatLink } from '../../server/protocol/chat/chat-link.js';
import { MAX_CHAT_CHUNK_BYTES } from '../../server/protocol/chat/chunks.js';
import type { ChunkRefusal } from '../../server/protocol/chat/chunks.js';
import { decodeSessionMessage, encodeSessionMessage } from '../../server/protocol/session-messages.js';
import { seededRandom } from '../support/prng.js';
import { CLEAN_LINK, SimulatedLink, type LinkShape } from '../support/simulated-link.js';

/** Two chat links joined both ways by simulated links, every message encoded and decoded as the wire would. */
class Pair {
  now = 0;
  readonly ana = new ChatLink();
  readonly ben = new ChatLink();
  readonly benGot: string[] = [];
  readonly benRefused: ChunkRefusal[] = [];
  readonly anaFailed: number[] = [];
  private readonly toBen: SimulatedLink;
  private readonly toAna: SimulatedLink;

  constructor(anaToBen: LinkShape, benToAna: LinkShape, seed = 1) {
    const random = seededRandom(seed);
    this.toBen = new SimulatedLink(anaToBen, random);
    this.toAna = new SimulatedLink(benToAna, random);
  }

  run(untilMs: number): void {
    for (; this.now <= untilMs; this.now++) {
      this.toBen.deliverDue(this.now);
      this.toAna.deliverDue(this.now);
      for (const message of this.ana.poll(this.now)) {
        const wire = encodeSessionMessage(message);
        this.toBen.carry(this.now, () => {
          const decoded = decodeSessionMessage(wire);
          if (decoded.kind !== 'chatChunk' && decoded.kind !== 'chatAck') throw new Error(decoded.kind);
          const arrival = this.ben.receive(decoded);
          this.benGot.push(...arrival.messages.map((m) => m.toString('utf8')));
          this.benRefused.push(...arrival.refused);
        });
      }
      for (const message of this.ben.poll(this.now)) {
        const wire = encodeSessionMessage(message);
        this.toAna.carry(this.now, () => {
          const decoded = decodeSessionMessage(wire);
          if (decoded.kind !== 'chatChunk' && decoded.kind !== 'chatAck') throw new Error(decoded.kind);
          this.ana.receive(decoded);
        });
      }
      this.anaFailed.push(...this.ana.takeFailed());
    }
  }
}

/** Text that takes `chunks` chunks: 'a' repeated, tagged at the front so each message is told apart. */
const long = (tag: string, chunks: number): string => (tag + ':').padEnd(MAX_CHAT_CHUNK_BYTES * (chunks - 1) + 10, 'a');

describe('a chat link (whole messages over the reliable channel, on a simulated clock and link)', () => {
  it('carries a message four chunks long, and acks so that nothing is left pending', () => {
    const pair = new Pair(CLEAN_LINK, CLEAN_LINK);
    pair.ana.send(Buffer.from(long('one', 4)));
    pair.ana.send(Buffer.from('two'));
    pair.run(200);
    expect(pair.benGot).toEqual([long('one', 4), 'two']);
    expect(pair.ana.pendingChunks).toBe(0);
    expect(pair.ana.nextDueAt(pair.now)).toBeUndefined();
    expect(pair.ben.nextDueAt(pair.now)).toBeUndefined();
  });

  it('names a message given up, and the receiver drops what it had of it instead of passing on a torn message', () => {
    const pair = new Pair(CLEAN_LINK, CLEAN_LINK);
    let chunksSeen = 0;
    // Every copy of the second of three chunks is lost.
    const poll = pair.ana.poll.bind(pair.ana);
    pair.ana.poll = (now) => poll(now).filter((m) => !(m.kind === 'chatChunk' && m.seq === 2 && ++chunksSeen));
    const torn = pair.ana.send(Buffer.from(long('torn', 3)));
    pair.run(30_000);
    expect(pair.anaFailed).toEqual([torn]);
    pair.ana.send(Buffer.from('after'));
    pair.run(30_200);
    expect(chunksSeen).toBe(8);
    expect(pair.benGot).toEqual(['after']);
    expect(pair.benRefused).toEqual(['incomplete']);
  });

  it('over any lossy, reordering, duplicating link: each message whole, once, in order, or named as given up', () => {
    const shape = fc.record({
      lossPct: fc.integer({ min: 0, max: 35 }),
      duplicatePct: fc.integer({ min: 0, max: 20 }),
      delayMs: fc.integer({ min: 1, max: 60 }),
      jitterMs: fc.integer({ min: 1, max: 80 }),
    });
    fc.assert(
      fc.property(shape, shape, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 }), fc.integer(), (there, back, sizes, seed) => {
        const pair = new Pair(there, back, seed);
        const sent = sizes.map((chunks, i) => long(`m${i}`, chunks));
        const handles = sent.map((text) => pair.ana.send(Buffer.from(text)));
        pair.run(40_000);
        pair.ana.send(Buffer.from('last'));
        pair.run(80_000);
        const got = pair.benGot.filter((text) => text !== 'last');
        expect(new Set(got).size).toBe(got.length);
        expect(got).toEqual(sent.filter((text) => got.includes(text)));
        const givenUp = new Set(pair.anaFailed);
        expect(sent.filter((text, i) => !got.includes(text) && !givenUp.has(handles[i]!))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
