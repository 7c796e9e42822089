import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, OPUS_PAYLOAD_TYPE, PROTOCOL_VERSION } from '../../server/protocol/constants.js';
import { decodeControl, encodeControl, RejectCode, type ControlMessage } from '../../server/protocol/control.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { decodeRed, encodeRed } from '../../server/protocol/red.js';
import { decodeRtp, encodeRtp, extendSequence, RTP_HEADER_BYTES, timestampDelta } from '../../server/protocol/rtp.js';
import { decodeRollover, encodeRollover } from '../../server/protocol/rollover.js';
import { decodeSessionMessage, encodeSessionMessage, paginateRoster, type SessionMessage } from '../../server/protocol/session-messages.js';
import { MAX_SEALED_PLAINTEXT } from '../../server/protocol/control.js';

const bytes = (length: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: length, maxLength: length });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });
// Names as the protocol carries them: any string whose UTF-8 fits the limit.
const name = (maxBytes: number): fc.Arbitrary<string> => fc.string({ maxLength: maxBytes }).filter((s) => Buffer.byteLength(s) <= maxBytes);

const controlMessage: fc.Arbitrary<Exclude<ControlMessage, { type: 'sealed' }>> = fc.oneof(
  fc.record({ type: fc.constant('hello' as const), clientNonce: bytes(16) }),
  fc.record({ type: fc.constant('cookie' as const), clientNonce: bytes(16), cookie: bytes(16), relaySalt: bytes(16), passwordRequired: fc.boolean() }),
  fc.record({
    type: fc.constant('join' as const),
    cookie: bytes(16),
    clientNonce: bytes(16),
    clientPublicKey: bytes(32),
    roomPublicKey: bytes(32),
    mediaSalt: bytes(16),
    flags: fc.integer({ min: 0, max: 255 }),
    room: name(LIMITS.maxRoomNameBytes),
    name: name(LIMITS.maxDisplayNameBytes),
    proof: bytes(16),
    roomProof: bytes(64),
  }),
  fc.record({
    type: fc.constant('welcome' as const),
    clientNonce: bytes(16),
    relayPublicKey: bytes(32),
    memberId: u32,
    sealedInfo: fc.uint8Array({ minLength: 16, maxLength: 64 }),
  }),
  fc.record({
    type: fc.constant('reject' as const),
    clientNonce: bytes(16),
    code: fc.constantFrom(...(Object.keys(RejectCode) as (keyof typeof RejectCode)[])),
    relayVersion: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ type: fc.constant('unknownSession' as const), memberId: u32 }),
  fc.record({ type: fc.constant('unknownAddress' as const), memberId: u32, sequence: u16 }),
);

const rosterMember = fc.record({ id: u32, flags: fc.integer({ min: 0, max: 7 }), mediaSalt: bytes(16), name: name(LIMITS.maxDisplayNameBytes) });
const sessionMessage: fc.Arbitrary<SessionMessage> = fc.oneof(
  fc.record({ kind: fc.constant('welcomeInfo' as const), pingIntervalMs: u16, memberTimeoutMs: u32, maxMembersPerRoom: u16, relayProof: bytes(16), roomSecret: name(128) }),
  fc.record({
    kind: fc.constant('ping' as const),
    pingId: u32,
    reports: fc.array(fc.record({ ssrc: u32, lossPermille: u16, jitterMs: u16 }), { maxLength: LIMITS.maxReportEntries }),
  }),
  fc.record({ kind: fc.constant('pong' as const), pingId: u32, uplinkLossPermille: u16, downlinkLossPermille: u16 }),
  fc.record({ kind: fc.constant('state' as const), flags: fc.integer({ min: 0, max: 255 }) }),
  fc.integer({ min: 1, max: 5 }).chain((pageCount) =>
    fc.record({
      kind: fc.constant('roster' as const),
      revision: u32,
      page: fc.integer({ min: 0, max: pageCount - 1 }),
      pageCount: fc.constant(pageCount),
      members: fc.array(rosterMember, { maxLength: 20 }),
    }),
  ),
  fc.record({ kind: fc.constant('memberState' as const), revision: u32, id: u32, flags: fc.integer({ min: 0, max: 255 }) }),
  fc.constant({ kind: 'leave' as const }),
  fc.constant({ kind: 'rosterRequest' as const }),
  fc.record({ kind: fc.constant('bye' as const), reason: fc.constantFrom('relayShutdown' as const, 'timedOut' as const, 'draining' as const) }),
);

/** Decoders may refuse input only with a ProtocolError; anything else escaping is a bug. */
function refusesCleanly(decode: () => unknown): boolean {
  try {
    decode();
    return true;
  } catch (error) {
    return error instanceof ProtocolError;
  }
}

describe('control messages', () => {
  it('round-trip exactly', () => {
    fc.assert(
      fc.property(controlMessage, (message) => {
        expect(decodeControl(encodeControl(message))).toEqual(message);
      }),
    );
  });

  it('pad HELLO so no reply to it can be larger (no amplification)', () => {
    const hello = encodeControl({ type: 'hello', clientNonce: new Uint8Array(16) });
    const cookie = encodeControl({ type: 'cookie', clientNonce: new Uint8Array(16), cookie: new Uint8Array(16), relaySalt: new Uint8Array(16), passwordRequired: true });
    const reject = encodeControl({ type: 'reject', clientNonce: new Uint8Array(16), code: 'versionMismatch', relayVersion: 1 });
    expect(hello.length).toBe(LIMITS.helloBytes);
    expect(cookie.length).toBeLessThanOrEqual(hello.length);
    expect(reject.length).toBeLessThanOrEqual(hello.length);
    expect(() => decodeControl(hello.subarray(0, 95))).toThrow(ProtocolError);
  });

  it('keep UNKNOWN_ADDRESS, the answer to media anyone can forge, smaller than the smallest RTP packet', () => {
    expect(encodeControl({ type: 'unknownAddress', memberId: 0xffffffff, sequence: 0xffff }).length).toBeLessThan(RTP_HEADER_BYTES);
  });

  it('refuse trailing bytes, truncation and unknown types with a ProtocolError', () => {
    const cookie = encodeControl({ type: 'cookie', clientNonce: new Uint8Array(16), cookie: new Uint8Array(16), relaySalt: new Uint8Array(16), passwordRequired: false });
    expect(() => decodeControl(Buffer.concat([cookie, Buffer.of(0)]))).toThrow(/trailing/);
    expect(() => decodeControl(cookie.subarray(0, cookie.length - 1))).toThrow(/needs 1 bytes/);
    expect(() => decodeControl(Buffer.of(0x50, PROTOCOL_VERSION, 99))).toThrow(/unknown control type 99/);
    expect(() => decodeControl(Buffer.of(0x50, PROTOCOL_VERSION + 1, 1))).toThrow(expect.objectContaining({ reason: 'bad_version' }));
  });

  it('never throw anything but ProtocolError on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1400 }), (input) => refusesCleanly(() => decodeControl(input))), { numRuns: 5000 });
    // Bytes that start like a control message reach deeper into the decoders.
    const controlLike = fc
      .tuple(fc.integer({ min: 1, max: 16 }), fc.uint8Array({ maxLength: 300 }))
      .map(([type, body]) => Uint8Array.from([0x50, PROTOCOL_VERSION, type, ...body]));
    fc.assert(fc.property(controlLike, (input) => refusesCleanly(() => decodeControl(input))), { numRuns: 5000 });
  });
});

describe('session messages', () => {
  it('round-trip exactly', () => {
    fc.assert(
      fc.property(sessionMessage, (message) => {
        expect(decodeSessionMessage(encodeSessionMessage(message))).toEqual(message);
      }),
    );
  });

  it('never throw anything but ProtocolError on arbitrary bytes', () => {
    const sessionLike = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.uint8Array({ maxLength: 400 })).map(([kind, body]) => Uint8Array.from([kind, ...body]));
    fc.assert(fc.property(sessionLike, (input) => refusesCleanly(() => decodeSessionMessage(input))), { numRuns: 5000 });
  });

  it('paginate any roster into pages that each fit one datagram and together hold everyone once', () => {
    fc.assert(
      fc.property(fc.array(rosterMember, { maxLength: 300 }), (members) => {
        const pages = paginateRoster(7, members, MAX_SEALED_PLAINTEXT);
        expect(pages.every((p) => encodeSessionMessage(p).length <= MAX_SEALED_PLAINTEXT)).toBe(true);
        expect(pages.map((p) => p.page)).toEqual(pages.map((_, i) => i));
        expect(pages.every((p) => p.pageCount === pages.length && p.revision === 7)).toBe(true);
        expect(pages.flatMap((p) => p.members)).toEqual(members);
      }),
      { numRuns: 200 },
    );
  });
});

describe('RTP', () => {
  it('round-trips the header and payload', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 127 }), u16, u32, u32, fc.uint8Array({ maxLength: 200 }), (marker, payloadType, sequence, timestamp, ssrc, payload) => {
        const packet = decodeRtp(encodeRtp({ marker, payloadType, sequence, timestamp, ssrc }, payload));
        expect({ ...packet, headerBytes: undefined, payload: [...packet.payload] }).toEqual({
          marker,
          payloadType,
          sequence,
          timestamp,
          ssrc,
          headerBytes: undefined,
          payload: [...payload],
        });
      }),
    );
  });

  it('honours CSRCs, header extensions and padding from other RTP senders', () => {
    // V=2, P=1, X=1, CC=1; one CSRC; a one-word extension; 3 payload bytes; 2 bytes of padding.
    const packet = Buffer.from([0xb1, 0x6f, 0, 5, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 2, 0xbe, 0xde, 0, 1, 1, 2, 3, 4, 0xaa, 0xbb, 0xcc, 0, 2]);
    const decoded = decodeRtp(packet);
    expect(decoded).toMatchObject({ payloadType: OPUS_PAYLOAD_TYPE, sequence: 5, timestamp: 9, ssrc: 1 });
    expect([...decoded.payload]).toEqual([0xaa, 0xbb, 0xcc]);
    expect(decoded.headerBytes.length).toBe(24);
  });

  it('never throws anything but ProtocolError on arbitrary bytes', () => {
    const rtpLike = fc.uint8Array({ minLength: 1, maxLength: 100 }).map((b) => Uint8Array.from([0x80 | (b[0]! & 0x3f), ...b.subarray(1)]));
    fc.assert(fc.property(rtpLike, (input) => refusesCleanly(() => decodeRtp(input))), { numRuns: 5000 });
  });

  it('extends sequence numbers across wrap-around in both directions', () => {
    expect(extendSequence(-1, 65530)).toBe(65530);
    expect(extendSequence(65535, 0)).toBe(65536);
    expect(extendSequence(65536 + 3, 65534)).toBe(65534);
    expect(extendSequence(3 * 65536 + 100, 90)).toBe(3 * 65536 + 90);
    // Nearest would be one roll-over back, but there is none before the first: stay in roll-over 0.
    expect(extendSequence(100, 65500)).toBe(65500);
    expect(timestampDelta(0xffffff00, 0x100)).toBe(0x200);
    expect(timestampDelta(0x100, 0xffffff00)).toBe(-0x200);
  });
});

describe('RED', () => {
  it('round-trips redundant blocks and the primary', () => {
    const redundant = [
      { payloadType: OPUS_PAYLOAD_TYPE, timestampOffset: 1920, data: Uint8Array.of(1, 2, 3) },
      { payloadType: OPUS_PAYLOAD_TYPE, timestampOffset: 960, data: Uint8Array.of(4, 5) },
    ];
    const primary = { payloadType: OPUS_PAYLOAD_TYPE, data: Uint8Array.of(6, 7, 8, 9) };
    const encoded = encodeRed(redundant, primary);
    expect(encoded.length).toBe(4 + 4 + 1 + 3 + 2 + 4);
    const decoded = decodeRed(encoded);
    expect(decoded.redundant.map((b) => ({ ...b, data: [...b.data] }))).toEqual(redundant.map((b) => ({ ...b, data: [...b.data] })));
    expect({ ...decoded.primary, data: [...decoded.primary.data] }).toEqual({ payloadType: OPUS_PAYLOAD_TYPE, data: [6, 7, 8, 9] });
  });

  it('never throws anything but ProtocolError on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (input) => refusesCleanly(() => decodeRed(input))), { numRuns: 5000 });
  });
});

describe('roll-over counter field', () => {
  it('encodes each length form at its bounds and decodes it back', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [63, [0x3f]],
      [64, [0x40, 0x40]],
      [16_383, [0x7f, 0xff]],
      [16_384, [0x80, 0x00, 0x40, 0x00]],
      [0x3fff_ffff, [0xbf, 0xff, 0xff, 0xff]],
      [0x4000_0000, [0xc0, 0, 0, 0, 0x40, 0, 0, 0]],
      [0xffff_ffff, [0xc0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]],
    ];
    for (const [rollover, bytes] of cases) {
      expect([...encodeRollover(rollover)]).toEqual(bytes);
      expect(decodeRollover(Uint8Array.from([...bytes, 0xaa]))).toEqual({ rollover, length: bytes.length });
    }
  });

  it('refuses a counter cut short, one beyond 32 bits, and values it cannot encode', () => {
    expect(() => decodeRollover(new Uint8Array(0))).toThrow(expect.objectContaining({ reason: 'truncated' }));
    expect(() => decodeRollover(Uint8Array.from([0x80, 0, 0]))).toThrow(expect.objectContaining({ reason: 'truncated' }));
    expect(() => decodeRollover(Uint8Array.from([0xc0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(expect.objectContaining({ reason: 'malformed' }));
    for (const bad of [-1, 0x1_0000_0000, 1.5]) expect(() => encodeRollover(bad)).toThrow(RangeError);
  });
});
