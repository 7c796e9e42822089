import { describe, expect, it } from 'vitest';
import { StreamTracker } from '../../../electron/engine/receive/stream-tracker.js';

describe('StreamTracker', () => {
  it('places packets across the wrap, and tells duplicates and too-old copies apart', () => {
    const stream = new StreamTracker();
    expect(stream.place(65_535, 0xffff_fc40)).toEqual({ kind: 'new', seq: 65_535, ts: 0xffff_fc40, restarted: false });
    expect(stream.place(0, 0x0000_0000)).toEqual({ kind: 'new', seq: 65_536, ts: 0x1_0000_0000, restarted: false });
    expect(stream.place(0, 0)).toEqual({ kind: 'duplicate' });
    for (let s = 1; s <= 1030; s++) stream.place(s, s * 960);
    expect(stream.place(65_534, 0xffff_f880)).toEqual({ kind: 'outOfStream' }); // 1032 behind: a jump, not reordering
    expect(stream.expected).toBe(1032);
    expect(stream.receivedInStream).toBe(1032);
  });

  it('follows a sender that restarted its sequence numbers once a second packet confirms it', () => {
    const stream = new StreamTracker();
    for (let s = 100; s < 200; s++) stream.place(s, s * 960);
    expect(stream.place(40_000, 5)).toEqual({ kind: 'outOfStream' });
    expect(stream.place(40_001, 965)).toEqual({ kind: 'new', seq: 40_001, ts: 965, restarted: true });
    expect(stream.place(40_002, 1925)).toEqual({ kind: 'new', seq: 40_002, ts: 1925, restarted: false });
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
    expect(stream.place(10, 9600)).toEqual({ kind: 'new', seq: 10, ts: 9600, restarted: false });
    expect(stream.place(30_001, 961)).toEqual({ kind: 'outOfStream' }); // the stray's successor no longer confirms anything
  });
});
