import { describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES, samplesFor } from '../../electron/engine/audio-format.js';
import { CuePlayer, renderCue } from '../../electron/engine/cues.js';
import { peak } from '../support/signals.js';

describe('cues', () => {
  it('render two quiet notes that start and end at silence', () => {
    const pcm = renderCue('join');
    expect(pcm.length).toBe(samplesFor(155));
    expect(peak(pcm)).toBeLessThanOrEqual(0.12);
    expect(peak(pcm)).toBeGreaterThan(0.11);
    expect(pcm[0]).toBe(0);
    expect(Math.abs(pcm[pcm.length - 1]!)).toBeLessThan(1e-3);
  });

  it('mix queued cues into blocks exactly once, in order, then stop', () => {
    const player = new CuePlayer();
    player.play('join');
    player.play('leave');
    const expected = new Float32Array([...renderCue('join'), ...renderCue('leave')]);
    const heard: number[] = [];
    while (player.playing) {
      const block = new Float32Array(BLOCK_SAMPLES);
      player.mixInto(block);
      heard.push(...block);
    }
    expect(heard.length).toBe(Math.ceil(expected.length / BLOCK_SAMPLES) * BLOCK_SAMPLES);
    // Compared with ===, under which +0 and −0 are the same sample (toEqual would tell them apart).
    expect(heard.slice(0, expected.length).filter((sample, i) => sample !== expected[i])).toEqual([]);
    expect(heard.slice(expected.length).every((s) => s === 0)).toBe(true);
  });

  it('stay silent when turned off', () => {
    const player = new CuePlayer();
    player.enabled = false;
    player.play('join');
    const block = new Float32Array(BLOCK_SAMPLES);
    player.mixInto(block);
    expect(block.every((s) => s === 0)).toBe(true);
    expect(player.playing).toBe(false);
  });
});
