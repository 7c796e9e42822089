import { describe, expect, it } from 'vitest';
import { ReceivedWindow } from '../../../electron/engine/receive/received-window.js';
import { unwrapSequence, unwrapTimestamp } from '../../../electron/engine/receive/rtp-unwrap.js';

describe('unwrapSequence and unwrapTimestamp', () => {
  it('carry on across the wrap in both directions', () => {
    expect(unwrapSequence(undefined, 65535)).toBe(65535);
    expect(unwrapSequence(65535, 0)).toBe(65536);
    expect(unwrapSequence(65536, 65534)).toBe(65534);
    expect(unwrapSequence(5, 65534)).toBe(-2); // a packet just before the first one
    expect(unwrapSequence(10 * 65536 + 100, 90)).toBe(10 * 65536 + 90);
    expect(unwrapTimestamp(0xffffff00, 0x40)).toBe(0x100000040);
    expect(unwrapTimestamp(0x100000040, 0xffffff00)).toBe(0xffffff00);
    expect(unwrapTimestamp(100, 0xffffff9c)).toBe(-100); // 200 units before 100, across the wrap
    expect(unwrapTimestamp(3 * 2 ** 32 + 5, 2 ** 32 - 10)).toBe(3 * 2 ** 32 - 10); // after three wraps, just before one
  });
});

describe('ReceivedWindow', () => {
  it('tells first copies from duplicates, across a jump and at its edge', () => {
    const window = new ReceivedWindow();
    expect(window.record(100)).toBe('new');
    expect(window.record(100)).toBe('duplicate');
    expect(window.record(98)).toBe('new');
    expect(window.record(98)).toBe('duplicate');
    expect(window.record(2000)).toBe('new');
    expect(window.record(100)).toBe('tooOld');
    expect(window.record(2000 - 1023)).toBe('new');
    expect(window.record(2000 - 1023)).toBe('duplicate');
    expect(window.record(2500)).toBe('new');
    // The slots of skipped numbers were cleared: 2000 + 1024 lands in 2000's slot.
    expect(window.record(2000 + 1024)).toBe('new');
    expect(window.highestIndex).toBe(2000 + 1024);
  });
});
