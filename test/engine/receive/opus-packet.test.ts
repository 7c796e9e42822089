import { describe, expect, it } from 'vitest';
import { concealmentPacket, frameSamplesOf, parseOpusPacket } from '../../../electron/engine/receive/opus-packet.js';

function toc(config: number, code: number): number {
  return (config << 3) | code;
}

function info(bytes: number[]) {
  const result = parseOpusPacket(Uint8Array.from(bytes));
  if (!result.ok) throw new Error(`expected a valid packet, got: ${result.reason}`);
  return result.info;
}

function reason(bytes: number[]): string {
  const result = parseOpusPacket(Uint8Array.from(bytes));
  if (result.ok) throw new Error('expected the packet to be refused');
  return result.reason;
}

describe('Opus TOC byte (RFC 6716 §3.1)', () => {
  it('maps every configuration to its frame size', () => {
    const ms = Array.from({ length: 32 }, (_, config) => frameSamplesOf(toc(config, 0)) / 48);
    expect(ms).toEqual([
      10, 20, 40, 60, 10, 20, 40, 60, 10, 20, 40, 60, // SILK NB, MB, WB
      10, 20, 10, 20, // Hybrid SWB, FB
      2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, // CELT
    ]);
  });

  it('reads the frame count of codes 0, 1, 2 and 3', () => {
    expect(info([toc(9, 0), 1, 2, 3])).toEqual({ toc: toc(9, 0), frameSamples: 960, frameCount: 1, totalSamples: 960 });
    expect(info([toc(31, 1), 1, 2, 3, 4]).totalSamples).toBe(1920);
    expect(info([toc(31, 2), 2, 9, 9, 8]).frameCount).toBe(2);
    expect(info([toc(30, 3), 3, 1, 2, 3]).totalSamples).toBe(3 * 480); // CBR, 3 one-byte frames
    expect(info([toc(30, 3), 0x80 | 3, 1, 2, 7, 7, 7, 7]).frameCount).toBe(3); // VBR: lengths 1 and 2, last 3
    expect(info([toc(30, 3), 0x40 | 2, 2, 5, 6, 0, 0]).frameCount).toBe(2); // two bytes of padding
  });

  it('takes a TOC-only packet as one (empty) frame: the DTX and lost-frame signal', () => {
    expect(info([toc(9, 0)]).totalSamples).toBe(960);
  });

  it('refuses packets that break RFC 6716 §3.4 (R1–R7)', () => {
    expect(reason([])).toBe('empty packet');
    expect(reason([toc(9, 0), ...new Array<number>(1276).fill(0)])).toBe('frame longer than 1275 bytes');
    expect(reason([toc(9, 1), 1, 2, 3])).toBe('code 1 packet with frames of unequal size');
    expect(reason([toc(9, 2)])).toBe('code 2 frame length cut short');
    expect(reason([toc(9, 2), 252])).toBe('code 2 frame length cut short');
    expect(reason([toc(9, 2), 5, 1, 2])).toBe('code 2 first frame runs past the packet');
    expect(reason([toc(9, 3)])).toBe('code 3 packet without a frame count byte');
    expect(reason([toc(9, 3), 0])).toBe('code 3 packet with zero frames');
    expect(reason([toc(9, 3), 7])).toBe('packet longer than 120 ms'); // 7 × 20 ms
    expect(reason([toc(3, 3), 3])).toBe('packet longer than 120 ms'); // 3 × 60 ms
    expect(reason([toc(9, 3), 0x40 | 1])).toBe('padding length cut short');
    expect(reason([toc(9, 3), 0x40 | 1, 255])).toBe('padding length cut short');
    expect(reason([toc(9, 3), 0x40 | 1, 9, 1])).toBe('padding runs past the packet');
    expect(reason([toc(9, 3), 2, 1, 2, 3])).toBe('constant-bitrate frames of unequal size');
    expect(reason([toc(9, 3), 0x80 | 2])).toBe('frame length cut short');
    expect(reason([toc(9, 3), 0x80 | 2, 9, 1])).toBe('frame runs past the packet');
  });

  it('builds the concealment packet as one byte of code 0 with the same configuration', () => {
    expect(concealmentPacket(toc(23, 1))).toEqual(Uint8Array.of(toc(23, 0)));
    expect(concealmentPacket(toc(9, 3) | 0x04)).toEqual(Uint8Array.of(toc(9, 0) | 0x04));
  });
});
