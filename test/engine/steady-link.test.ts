import { describe, expect, it } from 'vitest';
import { runLossyLink } from '../support/lossy-link.js';
import { loadSpeech } from './send/helpers.js';

const speech = loadSpeech();

/** The listener's held audio (after each pull) and target while it plays speech, from 2 s on. */
async function heldAndTarget(jitterMs: number): Promise<{ held: Set<number>; targets: number[]; lost: number }> {
  const held = new Set<number>();
  const targets: number[] = [];
  const result = await runLossyLink({
    speech,
    lossPct: 0,
    seed: 1,
    jitterMs,
    send: { red: 'off' },
    onTick: (nowMs, stats) => {
      if (nowMs < 2000 || !stats.talking) return;
      held.add(Math.round(stats.bufferDelayMs * 10) / 10);
      targets.push(Math.round(stats.targetDelayMs * 1000) / 1000);
    },
  });
  return { held, targets, lost: result.lost };
}

describe('the jitter buffer’s floor on a steady link (real send and receive paths, simulated clock, 20 ms frames)', () => {
  it('with no arrival jitter, targets exactly one frame and holds, after each 10 ms pull, 2.5 or 12.5 ms: the frame being played, no slack', async () => {
    const { held, targets, lost } = await heldAndTarget(0);
    expect(new Set(targets)).toEqual(new Set([20]));
    expect(held).toEqual(new Set([2.5, 12.5]));
    expect(lost).toBe(0);
  });

  it('with ±5 ms of arrival jitter (a 10 ms device clock’s worth), waits the 95th percentile of the spread on top, 9.5 ms, and loses nothing', async () => {
    const { targets, lost } = await heldAndTarget(5);
    const sorted = [...targets].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median).toBeGreaterThan(28.5);
    expect(median).toBeLessThanOrEqual(30);
    expect(lost).toBe(0);
  });
});
