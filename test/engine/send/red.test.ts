import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/shared/clock.js';
import { OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../../server/protocol/constants.js';
import { decodeRed } from '../../../server/protocol/red.js';
import { LOSS_UNKNOWN } from '../../../server/protocol/session-messages.js';
import { MAX_RED_PAYLOAD_BYTES, RedPacker } from '../../../electron/engine/send/red-packer.js';
import { DEPTH_REPORTS, RED_DEPTH_2_FROM_PERMILLE, RED_DEPTH_2_UNTIL_BELOW_PERMILLE, RED_OFF_AFTER_MS, RedPolicy } from '../../../electron/engine/send/red-policy.js';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

describe('RED packing (RFC 2198)', () => {
  it('sends the first frame alone, then each frame with an exact copy of the one before', () => {
    const packer = new RedPacker();
    const first = packer.pack(bytes(60, 1), 0, 1);
    expect(first).toEqual({ payloadType: OPUS_PAYLOAD_TYPE, payload: bytes(60, 1), redundantFrames: 0 });
    const second = packer.pack(bytes(70, 2), 960, 1);
    expect(second.payloadType).toBe(RED_PAYLOAD_TYPE);
    expect(second.payload).toHaveLength(1 + 4 + 60 + 70);
    const decoded = decodeRed(second.payload);
    expect(decoded.redundant).toHaveLength(1);
    const copy = decoded.redundant[0]!;
    expect([copy.payloadType, copy.timestampOffset, [...copy.data]]).toEqual([OPUS_PAYLOAD_TYPE, 960, [...bytes(60, 1)]]);
    expect([decoded.primary.payloadType, [...decoded.primary.data]]).toEqual([OPUS_PAYLOAD_TYPE, [...bytes(70, 2)]]);
  });

  it('carries nothing extra when redundancy is off, and nothing stale after forget()', () => {
    const packer = new RedPacker();
    packer.pack(bytes(60, 1), 0, 0);
    expect(packer.pack(bytes(60, 2), 960, 0).payloadType).toBe(OPUS_PAYLOAD_TYPE);
    packer.forget();
    expect(packer.pack(bytes(60, 3), 5760, 1).redundantFrames).toBe(0);
  });

  it('ends a talkspurt with an empty primary after a copy of its last frame, however large, or with an empty Opus packet', () => {
    const packer = new RedPacker();
    packer.pack(bytes(60, 1), 0, 1);
    packer.pack(bytes(300, 2), 960, 1);
    const end = packer.packEndOfTalk(1920, 1);
    expect([end.payloadType, end.redundantFrames]).toEqual([RED_PAYLOAD_TYPE, 1]);
    const decoded = decodeRed(end.payload);
    expect(decoded.redundant.map((block) => [block.payloadType, block.timestampOffset, [...block.data]])).toEqual([[OPUS_PAYLOAD_TYPE, 960, [...bytes(300, 2)]]]);
    expect([decoded.primary.payloadType, decoded.primary.data.length]).toEqual([OPUS_PAYLOAD_TYPE, 0]);
    // The marker closes the run: nothing of it rides on the next talkspurt, and without redundancy (or history) the marker is bare.
    expect(packer.packEndOfTalk(2880, 1)).toEqual({ payloadType: OPUS_PAYLOAD_TYPE, payload: new Uint8Array(0), redundantFrames: 0 });
    packer.pack(bytes(60, 3), 9600, 1);
    expect(packer.packEndOfTalk(10_560, 0)).toEqual({ payloadType: OPUS_PAYLOAD_TYPE, payload: new Uint8Array(0), redundantFrames: 0 });
  });

  it('skips a copy larger than twice the primary', () => {
    const packer = new RedPacker();
    packer.pack(bytes(81, 1), 0, 1);
    expect(packer.pack(bytes(40, 2), 960, 1)).toMatchObject({ payloadType: OPUS_PAYLOAD_TYPE, redundantFrames: 0 });
    packer.forget();
    packer.pack(bytes(80, 1), 0, 1);
    expect(packer.pack(bytes(40, 2), 960, 1)).toMatchObject({ payloadType: RED_PAYLOAD_TYPE, redundantFrames: 1 });
  });

  it('never more than doubles the payload: over every run of packets, copies add at most the primaries’ bytes plus one frame', () => {
    const talkspurt = fc.array(fc.integer({ min: 3, max: 400 }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(talkspurt, (sizes) => {
        const packer = new RedPacker();
        const packets = sizes.map((size, i) => packer.pack(bytes(size, i % 256), i * 960, 1));
        const copyBytes = packets.map((p) => (p.redundantFrames ? decodeRed(p.payload).redundant[0]!.data.length : 0));
        for (let from = 0; from < sizes.length; from++) {
          let copies = 0;
          let primaries = 0;
          for (let to = from; to < sizes.length; to++) {
            copies += copyBytes[to]!;
            primaries += sizes[to]!;
            expect(copies).toBeLessThanOrEqual(primaries + (from > 0 ? sizes[from - 1]! : 0));
          }
        }
        // From the talkspurt's start, copies never outweigh the primaries.
        expect(copyBytes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(sizes.reduce((a, b) => a + b, 0));
      }),
      { seed: 2198, numRuns: 200 },
    );
  });

  it('skips a copy that would not fit one datagram with the RTP header, longest roll-over counter and AEAD tag', () => {
    expect(MAX_RED_PAYLOAD_BYTES).toBe(1200 - 12 - 8 - 16);
    const packer = new RedPacker();
    packer.pack(bytes(590, 1), 0, 1);
    // 1 + 4 + 590 + 570 = 1165 > 1164.
    expect(packer.pack(bytes(570, 2), 960, 1).redundantFrames).toBe(0);
    packer.forget();
    packer.pack(bytes(590, 1), 0, 1);
    expect(packer.pack(bytes(569, 2), 960, 1).payload).toHaveLength(1164);
  });

  it('at depth 2 carries the two frames before, oldest first; the depth may change from one packet to the next', () => {
    const packer = new RedPacker();
    packer.pack(bytes(30, 1), 0, 2);
    expect(decodeRed(packer.pack(bytes(31, 2), 960, 2).payload).redundant.map((b) => b.timestampOffset)).toEqual([960]);
    const decoded = decodeRed(packer.pack(bytes(32, 3), 1920, 2).payload);
    expect(decoded.redundant.map((b) => [b.timestampOffset, b.data.length, b.data[0]])).toEqual([
      [1920, 30, 1],
      [960, 31, 2],
    ]);
    // Back to one copy, then up again: the history holds two frames whatever the depth was.
    expect(decodeRed(packer.pack(bytes(33, 4), 2880, 1).payload).redundant.map((b) => b.data[0])).toEqual([3]);
    expect(decodeRed(packer.pack(bytes(34, 5), 3840, 2).payload).redundant.map((b) => b.data[0])).toEqual([3, 4]);
    const end = decodeRed(packer.packEndOfTalk(4800, 2).payload);
    expect([end.redundant.map((b) => [b.timestampOffset, b.data[0]]), end.primary.data.length]).toEqual([[[1920, 4], [960, 5]], 0]);
    expect(() => packer.pack(bytes(30, 1), 0, 3)).toThrow(/RED depth 3 must be 0 to 2/);
  });

  it('at depth 2 never more than triples the payload: each frame rides in at most the two packets after it', () => {
    const talkspurt = fc.array(fc.integer({ min: 3, max: 400 }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(talkspurt, (sizes) => {
        const packer = new RedPacker();
        const packets = sizes.map((size, i) => packer.pack(bytes(size, i % 256), i * 960, 2));
        const copies = packets.map((p) => (p.redundantFrames ? decodeRed(p.payload).redundant.map((block) => block.timestampOffset / 960) : []));
        const copyBytes = copies.map((back, i) => back.reduce((sum, distance) => sum + sizes[i - distance]!, 0));
        // Every copy is of one of the two frames just before it, so no frame is copied more than twice.
        copies.forEach((back, i) => expect(back.every((distance) => distance >= 1 && distance <= 2 && i - distance >= 0)).toBe(true));
        const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
        expect(total(copyBytes)).toBeLessThanOrEqual(2 * total(sizes));
      }),
      { seed: 2198, numRuns: 200 },
    );
  });
});

describe('RED policy', () => {
  it('turns on above 2 % loss at once and off only after 10 s below 0.5 %', () => {
    const clock = new ManualClock(0);
    const policy = new RedPolicy('auto', clock);
    const report = (up: number, down = LOSS_UNKNOWN): boolean => {
      policy.onLinkReport({ uplinkLossPermille: up, downlinkLossPermille: down });
      clock.advance(2000);
      return policy.active;
    };
    expect(RED_OFF_AFTER_MS).toBe(10_000);
    // Scripted reports every 2 s: quiet, a lossy spell, a lull that is not long enough, then a clean run.
    const script: [number, number, boolean][] = [
      [0, LOSS_UNKNOWN, false],
      [20, 0, false], // exactly 2 %: not above
      [LOSS_UNKNOWN, 21, true], // downlink counts too
      [3, 0, true],
      [4, 0, true],
      [10, 0, true], // 1 %: not clean, restarts the wait
      [0, 0, true], // t = 12 s: clean run starts
      [LOSS_UNKNOWN, LOSS_UNKNOWN, true], // nothing measured: changes nothing
      [4, LOSS_UNKNOWN, true],
      [0, 0, true],
      [0, 0, true], // t = 20 s: 8 s clean
      [0, 0, false], // t = 22 s: 10 s clean
      [19, 19, false], // below the on threshold
      [200, 0, true],
    ];
    expect(script.map(([up, down]) => report(up, down))).toEqual(script.map(([, , active]) => active));
  });

  it('adds a second copy while the last three reports average 15 % or more, and drops it once they average under 10 %', () => {
    const clock = new ManualClock(0);
    const policy = new RedPolicy('auto', clock);
    expect([RED_DEPTH_2_FROM_PERMILLE, RED_DEPTH_2_UNTIL_BELOW_PERMILLE, DEPTH_REPORTS]).toEqual([150, 100, 3]);
    const depthAfter = (up: number, down = LOSS_UNKNOWN): number => {
      policy.onLinkReport({ uplinkLossPermille: up, downlinkLossPermille: down });
      clock.advance(2000);
      return policy.depth;
    };
    expect(policy.depth).toBe(0);
    const script: [number, number, number][] = [
      [200, LOSS_UNKNOWN, 2], // a first report of 20 %: two copies at once
      [100, 0, 2], // mean 15 %
      [60, 0, 2], // mean 12 %: between the thresholds, it stays
      [LOSS_UNKNOWN, LOSS_UNKNOWN, 2], // nothing measured: changes nothing
      [300, 0, 2], // 6, 10 and 30 %: mean 15.3 %
      [120, 0, 2], // mean 16 %
      [90, 0, 2], // mean 17 %
      [90, 0, 2], // mean 10 %: not under
      [110, 40, 1], // the worse side counts: mean 9.7 %
      [160, LOSS_UNKNOWN, 1], // mean 12 %: not enough to come back
    ];
    expect(script.map(([up, down]) => depthAfter(up, down))).toEqual(script.map(([, , depth]) => depth));
  });

  it('in forced-on mode follows the loss for its depth too, and while off sends none', () => {
    const clock = new ManualClock(0);
    const on = new RedPolicy('on', clock);
    expect(on.depth).toBe(1);
    on.onLinkReport({ uplinkLossPermille: 200, downlinkLossPermille: LOSS_UNKNOWN });
    expect(on.depth).toBe(2);
    on.mode = 'off';
    expect(on.depth).toBe(0);
  });

  it('on a link expected to be lossy, is on before any report, and goes off only after the usual 10 s of clean reports', () => {
    const clock = new ManualClock(0);
    const policy = new RedPolicy('auto', clock);
    expect(policy.linkLossy).toBe(false);
    policy.expectLoss();
    expect(policy.active).toBe(true);
    expect(policy.linkLossy).toBe(true);
    const activeAfter = (permille: number): boolean => {
      policy.onLinkReport({ uplinkLossPermille: permille, downlinkLossPermille: LOSS_UNKNOWN });
      clock.advance(2000);
      return policy.active;
    };
    // t = 0 … 10 s: six clean reports; off with the sixth, 10 s after the first.
    expect([0, 0, 0, 0, 0, 0].map(activeAfter)).toEqual([true, true, true, true, true, false]);
    expect(policy.linkLossy).toBe(false);
    // Forced off, the expectation changes nothing sent, but the link is still known for lossy.
    policy.mode = 'off';
    policy.expectLoss();
    expect(policy.active).toBe(false);
    expect(policy.linkLossy).toBe(true);
  });

  it('follows the mode when forced on or off', () => {
    const clock = new ManualClock();
    const policy = new RedPolicy('on', clock);
    expect(policy.active).toBe(true);
    policy.mode = 'off';
    policy.onLinkReport({ uplinkLossPermille: 500, downlinkLossPermille: 500 });
    expect(policy.active).toBe(false);
    policy.mode = 'auto';
    expect(policy.active).toBe(true);
  });

  it('sends no copies over a link that does not lose packets (TCP), in any mode, and resumes when back on UDP', () => {
    const clock = new ManualClock();
    const policy = new RedPolicy('on', clock);
    policy.reliableLink = true;
    expect(policy.active).toBe(false);
    policy.mode = 'auto';
    policy.onLinkReport({ uplinkLossPermille: 500, downlinkLossPermille: 500 });
    expect(policy.active).toBe(false);
    expect(policy.linkLossy).toBe(true);
    policy.reliableLink = false;
    expect(policy.active).toBe(true);
  });
});
