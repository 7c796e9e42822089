import { describe, expect, it } from 'vitest';
import { StreamTracker } from '../../../electron/engine/receive/stream-tracker.js';

describe('StreamTracker', () => {
  it('extends timestamps across the wrap, and tells duplicates and too-old copies apart', () => {
    const stream = new StreamTracker();
    expect(stream.place(65_535, 0xffff_fc40)).toEqual({ kind: 'new', ts: 0xffff_fc40, restarted: false });
    expect(stream.place(65_536, 0x0000_0000)).toEqual({ kind: 'new', ts: 0x1_0000_0000, restarted: false });
    expect(stream.place(65_536, 0)).toEqual({ kind: 'duplicate' });
    expect(stream.place(65_530, 0xffff_ffff - 6 * 960 + 1)).toEqual({ kind: 'new', ts: 0xffff_ffff - 6 * 960 + 1, restarted: false });
    for (let s = 65_537; s <= 66_566; s++) stream.place(s, ((s - 65_536) * 960) >>> 0);
    expect(stream.place(66_566 - 1024, 0)).toEqual({ kind: 'tooOld' }); // reordered as far as counts, but older than duplicates are remembered
    expect(stream.place(66_566 - 1025, 0)).toEqual({ kind: 'outOfStream' }); // further behind: a jump, not reordering
    expect(stream.expected).toBe(66_566 - 65_530 + 1);
    expect(stream.receivedInStream).toBe(1034);
  });

  it('follows a sender that restarted its sequence numbers once a second packet confirms it', () => {
    const stream = new StreamTracker();
    for (let s = 100; s < 200; s++) stream.place(s, s * 960);
    expect(stream.place(40_000, 5)).toEqual({ kind: 'outOfStream' });
    expect(stream.place(40_001, 965)).toEqual({ kind: 'new', ts: 965, restarted: true });
    expect(stream.place(40_002, 1925)).toEqual({ kind: 'new', ts: 1925, restarted: false });
    expect(stream.expected).toBe(2);
  });

  it('follows a sender whose timestamps jumped back while its sequence numbers moved on', () => {
    const stream = new StreamTracker();
    for (let s = 0; s < 50; s++) stream.place(s, 10_000_000 + s * 960);
    expect(stream.place(50, 7)).toEqual({ kind: 'outOfStream' });
    expect(stream.place(51, 967)).toMatchObject({ kind: 'new', restarted: true });
  });

  it('does not restart on a lone stray packet', () => {
    const stream = new StreamTracker();
    for (let s = 0; s < 10; s++) stream.place(s, s * 960);
    expect(stream.place(30_000, 1)).toEqual({ kind: 'outOfStream' });
    expect(stream.place(10, 9600)).toEqual({ kind: 'new', ts: 9600, restarted: false });
    expect(stream.place(30_001, 961)).toEqual({ kind: 'outOfStream' }); // the stray's successor no longer confirms anything
  });
});
