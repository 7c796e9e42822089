import { describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES } from '../../../electron/engine/audio-format.js';
import { FrameAssembler } from '../../../electron/engine/send/frame-assembler.js';

const block = (value: number): Float32Array => new Float32Array(BLOCK_SAMPLES).fill(value);

describe('frame assembler', () => {
  it('collects two 10 ms blocks into one 20 ms int16 frame stamped with its first sample', () => {
    const assembler = new FrameAssembler(20);
    expect(assembler.add(block(0.25), 4800)).toBeUndefined();
    const frame = assembler.add(block(-0.5), 5280)!;
    expect(frame).toHaveLength(960);
    expect(frame[0]).toBe(8192);
    expect(frame[479]).toBe(8192);
    expect(frame[480]).toBe(-16384);
    expect(assembler.completedFrameStart).toBe(4800);
    expect(assembler.nextFrameStart).toBe(5760);
  });

  it('emits every block at 10 ms and every fourth at 40 ms', () => {
    const ten = new FrameAssembler(10);
    expect([0, 1, 2].map((i) => ten.add(block(0.1), i * BLOCK_SAMPLES)?.length)).toEqual([480, 480, 480]);
    const forty = new FrameAssembler(40);
    expect([0, 1, 2, 3, 4].map((i) => forty.add(block(0.1), i * BLOCK_SAMPLES)?.length)).toEqual([undefined, undefined, undefined, 1920, undefined]);
  });

  it('completes a cut-short frame with silence after a 2.5 ms fade', () => {
    const assembler = new FrameAssembler(40);
    assembler.add(block(0.5), 0);
    const frame = assembler.finishWithSilence()!;
    expect(frame).toHaveLength(1920);
    expect(frame[0]).toBe(16384);
    expect(frame[BLOCK_SAMPLES - 121]).toBe(16384);
    // The fade runs over the last 120 samples of audio and ends at zero.
    expect(frame[BLOCK_SAMPLES - 60]).toBe(Math.round(16384 * (1 - 61 / 120)));
    expect(frame[BLOCK_SAMPLES - 1]).toBe(0);
    expect(frame.subarray(BLOCK_SAMPLES).every((x) => x === 0)).toBe(true);
    expect(assembler.completedFrameStart).toBe(0);
    expect(assembler.finishWithSilence()).toBeUndefined();
  });

  it('refuses a block that does not follow on, a wrong length, and a size change mid-frame', () => {
    const assembler = new FrameAssembler(20);
    assembler.add(block(0.1), 0);
    expect(() => assembler.add(block(0.1), 960)).toThrow(/does not follow on/);
    expect(() => assembler.add(new Float32Array(100), 480)).toThrow(/480 samples, not 100/);
    expect(() => {
      assembler.frameMs = 40;
    }).toThrow(/only change between frames/);
    expect(assembler.add(block(0.1), 480)).toHaveLength(960);
    assembler.frameMs = 40;
    expect(assembler.frameSamples).toBe(1920);
    expect(() => {
      assembler.frameMs = 30 as 20;
    }).toThrow(/frame size 30 ms is not one of 10, 20, 40/);
  });
});
