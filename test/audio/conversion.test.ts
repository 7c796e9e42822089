import { describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { BlockAssembler } from '../../electron/audio/block-assembler.js';
import { downmixInt16, int16View, upmixToInt16 } from '../../electron/audio/channels.js';
import { candidateFormats, framesPerBlock, framesPerPeriod } from '../../electron/audio/device-format.js';

describe('channel conversion', () => {
  it('averages interleaved channels into mono floats', () => {
    const stereo = Int16Array.from([16384, -16384, 32767, 32767, -32768, 0]);
    expect(Array.from(downmixInt16(stereo, 2))).toEqual([0, 32767 / 32768, -0.5]);
  });

  it('ignores a trailing partial frame', () => {
    expect(downmixInt16(Int16Array.from([1, 2, 3]), 2).length).toBe(1);
  });

  it('copies mono to every channel and clips past full scale', () => {
    expect(Array.from(upmixToInt16(Float32Array.from([0.5, -1.5, 2]), 3))).toEqual([
      16384, 16384, 16384, -32768, -32768, -32768, 32767, 32767, 32767,
    ]);
  });

  it('reads 16-bit samples from a byte buffer at an odd offset', () => {
    const bytes = new Uint8Array([0, 0x34, 0x12, 0xff, 0xff]).subarray(1);
    expect(Array.from(int16View(bytes))).toEqual([0x1234, -1]);
  });
});

describe('BlockAssembler', () => {
  it('cuts pieces of any size into whole 10 ms blocks, in order', () => {
    const blocks: Float32Array[] = [];
    const assembler = new BlockAssembler((block) => blocks.push(block));
    const input = Float32Array.from({ length: 1_500 }, (_, i) => i);
    assembler.push(new Float32Array(0));
    let offset = 0;
    for (const size of [1, 441, 479, 300, 279]) {
      assembler.push(input.subarray(offset, offset + size));
      offset += size;
    }
    expect(blocks.map((b) => b.length)).toEqual([BLOCK_SAMPLES, BLOCK_SAMPLES, BLOCK_SAMPLES]);
    expect(Array.from(blocks.flatMap((b) => Array.from(b)))).toEqual(Array.from(input.subarray(0, 1_440)));
    assembler.flush();
    expect(blocks).toHaveLength(4);
    expect(Array.from(blocks[3]!.subarray(0, 60))).toEqual(Array.from(input.subarray(1_440)));
    expect(blocks[3]!.subarray(60).every((x) => x === 0)).toBe(true);
  });
});

describe('device formats', () => {
  const device = { id: 0, name: 'x', hostApi: 'ALSA', channels: 2, defaultSampleRate: 44_100, isDefault: true };

  it('tries 48 kHz mono first, then the device’s own rate, never more channels than it has', () => {
    expect(candidateFormats(device)).toEqual([
      { sampleRate: 48_000, channels: 1 },
      { sampleRate: 48_000, channels: 2 },
      { sampleRate: 44_100, channels: 1 },
      { sampleRate: 44_100, channels: 2 },
    ]);
    expect(candidateFormats({ ...device, channels: 1, defaultSampleRate: 48_000 })).toEqual([{ sampleRate: 48_000, channels: 1 }]);
  });

  it('sizes device buffers to 10 ms', () => {
    expect(framesPerBlock({ sampleRate: 44_100, channels: 2 })).toBe(441);
    expect(framesPerBlock({ sampleRate: 48_000, channels: 1 })).toBe(480);
  });

  it('runs device callbacks at 5 ms periods, half a block', () => {
    expect(framesPerPeriod({ sampleRate: 48_000, channels: 1 })).toBe(240);
    expect(framesPerPeriod({ sampleRate: 44_100, channels: 2 })).toBe(221);
    expect(framesPerPeriod({ sampleRate: 16_000, channels: 1 })).toBe(80);
  });
});
