import { describe, expect, it } from 'vitest';
import { MEDIA_STALL_MS, MediaStallWatch } from '../../electron/net/media-stall.js';

describe('noticing media stop while control flows, on a simulated clock', () => {
  it('calls it stalled once a peer has been shown talking for 3 s with no media at all', () => {
    const watch = new MediaStallWatch();
    expect(MEDIA_STALL_MS).toBe(3_000);
    watch.peersTalking(true, 1_000);
    expect(watch.stalled(3_999)).toBe(false);
    expect(watch.stalled(4_000)).toBe(true);
  });

  it('is not stalled while media keeps coming, nor when nobody talks', () => {
    const watch = new MediaStallWatch();
    watch.peersTalking(true, 0);
    watch.media(2_000);
    expect(watch.stalled(4_999)).toBe(false);
    expect(watch.stalled(5_000)).toBe(true);
    watch.peersTalking(false, 5_000);
    expect(watch.stalled(60_000)).toBe(false);
  });

  it('counts the talking from when it began, not from each roster update', () => {
    const watch = new MediaStallWatch();
    watch.peersTalking(true, 0);
    watch.peersTalking(true, 2_500);
    expect(watch.stalled(3_000)).toBe(true);
    watch.clear();
    expect(watch.stalled(10_000)).toBe(false);
  });
});
