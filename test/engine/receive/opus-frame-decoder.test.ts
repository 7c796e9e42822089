import { Encoder } from '@evan/opus';
import fc from 'fast-check';
import { OpusDecoder } from 'opus-decoder';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { floatToInt16 } from '../../../electron/engine/audio-format.js';
import { OpusFrameDecoder } from '../../../electron/engine/receive/opus-frame-decoder.js';
import { parseOpusPacket, type OpusPacketInfo } from '../../../electron/engine/receive/opus-packet.js';
import { rms } from '../../support/signals.js';
import { voicedSignal } from './support/signals.js';

function encodeFrames(frameMs: number, count: number, bitrate = 24_000): Uint8Array[] {
  const encoder = new Encoder({ channels: 1, sample_rate: 48000, application: 'voip' });
  encoder.bitrate = bitrate;
  const samples = frameMs * 48;
  const pcm = voicedSignal(frameMs * count);
  return Array.from({ length: count }, (_, k) => encoder.encode(floatToInt16(pcm.subarray(k * samples, (k + 1) * samples))).slice());
}

function infoOf(packet: Uint8Array): OpusPacketInfo {
  const parsed = parseOpusPacket(packet);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.info;
}

describe('OpusFrameDecoder', () => {
  const decoders: OpusFrameDecoder[] = [];
  afterEach(() => {
    for (const decoder of decoders.splice(0)) decoder.close();
    vi.restoreAllMocks();
  });

  async function decoder(): Promise<OpusFrameDecoder> {
    const created = await OpusFrameDecoder.create();
    decoders.push(created);
    return created;
  }

  it.each([10, 20])('conceals exactly one %i ms frame, and not with silence, right after voiced speech', async (frameMs) => {
    const frames = encodeFrames(frameMs, 25);
    const d = await decoder();
    let last: Float32Array = new Float32Array(0);
    for (const frame of frames) last = d.decode(frame, infoOf(frame))!;
    expect(d.concealSamples).toBe(frameMs * 48);
    const concealed = d.conceal()!;
    expect(concealed.length).toBe(frameMs * 48);
    expect(rms(concealed)).toBeGreaterThan(0.5 * rms(last));
  });

  it.each([
    { bitrate: 24_000, frameCount: 1, frameMs: 40 }, // SILK codes 40 ms as one frame
    { bitrate: 64_000, frameCount: 2, frameMs: 20 }, // CELT codes it as two 20 ms frames
  ])('conceals 40 ms packets in units of their frames ($frameCount × $frameMs ms at $bitrate bit/s)', async ({ bitrate, frameCount, frameMs }) => {
    const frames = encodeFrames(40, 10, bitrate);
    const parsed = parseOpusPacket(frames[9]!);
    expect(parsed.ok && parsed.info.frameCount).toBe(frameCount);
    const d = await decoder();
    for (const frame of frames) expect(d.decode(frame, infoOf(frame))?.length).toBe(1920);
    expect(d.concealSamples).toBe(frameMs * 48);
    expect(d.conceal()!.length).toBe(frameMs * 48);
  });

  it('has nothing to conceal before the first packet', async () => {
    const d = await decoder();
    expect(d.concealSamples).toBeUndefined();
    expect(d.conceal()).toBeUndefined();
  });

  it('is made at once and decodes from when its WASM instance has started', async () => {
    const [frame] = encodeFrames(20, 1);
    const d = OpusFrameDecoder.start();
    decoders.push(d);
    expect(d.ready).toBe(false);
    expect(d.decode(frame!, infoOf(frame!))).toBeUndefined();
    await d.whenReady;
    expect(d.ready).toBe(true);
    expect(d.decode(frame!, infoOf(frame!))?.length).toBe(960);
  });

  it('closed while starting, it never becomes ready', async () => {
    const d = OpusFrameDecoder.start();
    d.close();
    await d.whenReady;
    expect(d.ready).toBe(false);
    const [frame] = encodeFrames(20, 1);
    expect(d.decode(frame!, infoOf(frame!))).toBeUndefined();
  });

  it('returns nothing after close instead of touching freed memory', async () => {
    const d = await OpusFrameDecoder.create();
    const [frame] = encodeFrames(20, 1);
    d.close();
    d.close();
    expect(d.decode(frame!, infoOf(frame!))).toBeUndefined();
  });

  it('accepts exactly the packets libopus accepts (framing checked against the real decoder)', async () => {
    // libopus logs refused packets through the library's console.error; keep the test output clean.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const libopus = new OpusDecoder({ channels: 1, sampleRate: 48000 });
    await libopus.ready;
    const packet = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 40 }),
      // Code 2 and 3 headers with small lengths, where the framing rules bite.
      fc.tuple(fc.integer({ min: 0, max: 31 }), fc.constantFrom(2, 3), fc.uint8Array({ minLength: 0, maxLength: 12 })).map(
        ([config, code, rest]) => Uint8Array.from([(config << 3) | code, ...rest.map((b, i) => (i < 3 ? b % 16 : b))]),
      ),
    );
    fc.assert(
      fc.property(packet, (bytes) => {
        const parsed = parseOpusPacket(bytes);
        const decoded = libopus.decodeFrame(bytes);
        expect(decoded.errors.length === 0).toBe(parsed.ok);
        if (parsed.ok) expect(decoded.samplesDecoded).toBe(parsed.info.totalSamples);
      }),
      { numRuns: 3000, seed: 42 },
    );
    libopus.free();
  });
});
