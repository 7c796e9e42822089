import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../server/protocol/constants.js';
import { encodeFrame, FrameDecoder } from '../../server/protocol/stream-framing.js';

const datagram = fc.uint8Array({ minLength: 1, maxLength: LIMITS.maxDatagramBytes });

/** Splits bytes at the given cut points, as TCP may deliver them. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe('stream framing', () => {
  it('frames a datagram as a 2-byte big-endian length and the bytes', () => {
    expect([...encodeFrame(Uint8Array.of(7, 8, 9))]).toEqual([0, 3, 7, 8, 9]);
    expect(encodeFrame(new Uint8Array(300)).readUInt16BE(0)).toBe(300);
  });

  it('refuses to frame an empty or oversized datagram', () => {
    expect(() => encodeFrame(new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeFrame(new Uint8Array(LIMITS.maxDatagramBytes + 1))).toThrow(/1 to 1200 bytes, not 1201/);
  });

  it('gives back every datagram in order, however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(datagram, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (datagrams, cuts) => {
        const stream = Buffer.concat(datagrams.map((d) => encodeFrame(d)));
        const decoder = new FrameDecoder();
        const out: Buffer[] = [];
        for (const chunk of chunked(stream, cuts)) {
          const result = decoder.push(chunk);
          expect(result.error).toBeUndefined();
          out.push(...result.frames);
        }
        expect(out.map((b) => [...b])).toEqual(datagrams.map((d) => [...d]));
        expect(decoder.partialBytes).toBe(0);
      }),
    );
  });

  it('holds a partial frame until the rest arrives, byte by byte', () => {
    const decoder = new FrameDecoder();
    const frame = encodeFrame(Uint8Array.of(1, 2, 3));
    for (let i = 0; i < frame.length - 1; i++) {
      expect(decoder.push(frame.subarray(i, i + 1))).toEqual({ frames: [] });
      expect(decoder.partialBytes).toBe(i + 1);
    }
    expect(decoder.push(frame.subarray(frame.length - 1)).frames.map((f) => [...f])).toEqual([[1, 2, 3]]);
  });

  it('calls a length over the maximum oversized, keeps the whole frames before it, and reads nothing after', () => {
    const decoder = new FrameDecoder();
    const oversized = Buffer.from([0x04, 0xb1]); // 1201
    const result = decoder.push(Buffer.concat([encodeFrame(Uint8Array.of(5)), oversized, encodeFrame(Uint8Array.of(6))]));
    expect(result.frames.map((f) => [...f])).toEqual([[5]]);
    expect(result.error).toEqual({ reason: 'oversized', message: 'frame of 1201 bytes: frames have 1 to 1200' });
    expect(decoder.push(encodeFrame(Uint8Array.of(7)))).toMatchObject({ frames: [], error: { reason: 'oversized' } });
    expect(decoder.partialBytes).toBe(0);
  });

  it('calls a zero length empty', () => {
    expect(new FrameDecoder().push(Buffer.from([0, 0, 1]))).toMatchObject({ frames: [], error: { reason: 'empty' } });
  });

  it('never throws on arbitrary bytes, and fails exactly when a header says 0 or over the maximum', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 10 }), (chunks) => {
        const decoder = new FrameDecoder();
        const all = Buffer.concat(chunks);
        // Walk the headers ourselves: the first bad one, if complete, is where the decoder must fail.
        let offset = 0;
        let expectError = false;
        while (offset + 2 <= all.length) {
          const length = all.readUInt16BE(offset);
          if (length === 0 || length > LIMITS.maxDatagramBytes) {
            expectError = true;
            break;
          }
          offset += 2 + length;
        }
        let sawError = false;
        for (const chunk of chunks) if (decoder.push(chunk).error) sawError = true;
        expect(sawError).toBe(expectError);
      }),
    );
  });
});
