import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES, floatToInt16 } from '../../../electron/engine/audio-format.js';
import { Mixer } from '../../../electron/engine/mix/mixer.js';
import { blocksOf, sineSamples } from '../../support/signals.js';

const MIXES = 10_000;

/** Bytes in use in V8's young generation (new space). */
function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_used_size;
}

const dc = (value: number): Float32Array => new Float32Array(BLOCK_SAMPLES).fill(value);

function sineBlocks(frequencyHz: number, phase: number, blocks: number): Float32Array[] {
  return blocksOf(sineSamples(frequencyHz, 48_000, blocks * BLOCK_SAMPLES, 1, 0, phase));
}

describe('mixer', () => {
  it('sums the peers’ blocks sample by sample (after the limiter’s look-ahead)', () => {
    const mixer = new Mixer();
    mixer.mix([dc(0.25), dc(0.5), dc(-0.125)]);
    expect(mixer.mix([dc(0.25), dc(0.5), dc(-0.125)]).every((x) => x === 0.625)).toBe(true);
    expect(mixer.latencySamples).toBe(71);
  });

  it('mixes no peers into silence', () => {
    const mixer = new Mixer();
    mixer.mix([]);
    expect(mixer.mix([]).every((x) => x === 0)).toBe(true);
  });

  it('never exceeds full scale with four full-scale peers, so int16 output neither clips nor wraps', () => {
    const mixer = new Mixer();
    const peers = [sineBlocks(220, 0, 100), sineBlocks(330, 0, 100), sineBlocks(440, 0, 100), sineBlocks(220, 0, 100)];
    let peak = 0;
    let previous = 0;
    let largestJump = 0;
    for (let b = 0; b < 100; b++) {
      const out = mixer.mix(peers.map((blocks) => blocks[b]!));
      for (const x of out) {
        peak = Math.max(peak, Math.abs(x));
        largestJump = Math.max(largestJump, Math.abs(x - previous));
        previous = x;
      }
      const pcm = floatToInt16(out);
      expect(pcm.every((v) => v > -32768 && v < 32767)).toBe(true);
    }
    expect(peak).toBeLessThanOrEqual(1);
    expect(peak).toBeGreaterThan(0.9);
    expect(mixer.clampedSamples).toBe(0);
    // The fastest any input moves a sample is 4 × 2π·440/48000 ≈ 0.23; gain steps would jump further.
    expect(largestJump).toBeLessThan(0.23);
  });

  it('rejects a block of the wrong size before touching anything', () => {
    const mixer = new Mixer();
    mixer.mix([dc(0.5)]);
    expect(() => mixer.mix([dc(0.5), new Float32Array(479)])).toThrow(/mixer input 1 holds 479 samples; every block holds 480/);
    expect(mixer.mix([dc(0.5)]).every((x) => x === 0.5)).toBe(true);
  });

  it('allocates nothing per block: the same output array, and fewer young-generation bytes over 10 000 mixes than mixes', () => {
    const mixer = new Mixer();
    const peers = [sineBlocks(220, 0, 1)[0]!, sineBlocks(330, 1, 1)[0]!, sineBlocks(440, 2, 1)[0]!, sineBlocks(550, 3, 1)[0]!];
    const first = mixer.mix(peers);
    for (let i = 0; i < 20_000; i++) mixer.mix(peers); // warm up: let V8 optimise first
    // Every JavaScript allocation lands in the young generation and takes at least 16 bytes. The loop is
    // synchronous, so nothing else allocates meanwhile: a mixer that allocated anything per block would grow it by
    // 160 kB or more, or set off a collection that shrinks it. Reading the figure costs a few kB of its own.
    const before = youngGenerationBytes();
    let same = true;
    for (let i = 0; i < MIXES; i++) same &&= mixer.mix(peers) === first;
    const growth = youngGenerationBytes() - before;
    expect(same).toBe(true);
    expect(growth).toBeGreaterThanOrEqual(0);
    expect(growth).toBeLessThan(MIXES);
  });
});
