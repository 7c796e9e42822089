import { describe, expect, it } from 'vitest';
import { RedUsage } from '../../../electron/engine/receive/red-usage.js';
import type { EncodedFrame } from '../../../electron/engine/receive/unpack.js';

const copies = (...offsets: number[]): EncodedFrame[] =>
  offsets.map((timestampOffset) => ({ timestampOffset, payload: new Uint8Array(3), info: { toc: 0x78, frameSamples: 960, frameCount: 1, totalSamples: 960 } }));

describe('how far back the sender’s RED copies reach', () => {
  it('holds the deepest reach through a talkspurt’s start and single shallower packets, and lowers it after 100 in a row', () => {
    const usage = new RedUsage();
    usage.onPacket(copies(), true);
    usage.onPacket(copies(960), false);
    expect(usage.depthSamples).toBe(960);
    usage.onPacket(copies(1920, 960), false);
    expect(usage.depthSamples).toBe(1920);
    // A new talkspurt: no copy on its first packet, one on its second; a copy left out for size.
    usage.onPacket(copies(), true);
    usage.onPacket(copies(960), false);
    usage.onPacket(copies(), false);
    expect(usage.depthSamples).toBe(1920);
    usage.onPacket(copies(1920, 960), false);
    // The sender goes back to one copy: after 100 packets of it, the schedule waits one frame's distance.
    for (let i = 0; i < 99; i++) usage.onPacket(copies(960), false);
    expect(usage.depthSamples).toBe(1920);
    usage.onPacket(copies(), false);
    expect(usage.depthSamples).toBe(960);
    // ...and after 100 without any, none.
    for (let i = 0; i < 99; i++) usage.onPacket(copies(), false);
    expect(usage.depthSamples).toBe(960);
    usage.onPacket(copies(), false);
    expect(usage.depthSamples).toBe(0);
  });
});
