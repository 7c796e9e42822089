import { describe, expect, it } from 'vitest';
import { validateCase, voiceCase } from '../../bench/relay/case-spec.js';
import { describePlacement, placeProcesses } from '../../bench/relay/placement.js';
import { workerWindows, type WorkerSnapshot } from '../../bench/relay/worker-stats.js';

describe('the relay benchmark’s workers', () => {
  it('pins one worker to core 0 and the load to core 1; more workers than spare cores leave the relay unpinned', () => {
    expect(placeProcesses(true, 1, 2)).toEqual({ relayCores: [0], loadCore: 1 });
    expect(placeProcesses(true, 2, 2)).toEqual({ relayCores: undefined, loadCore: 1 });
    expect(placeProcesses(true, 2, 4)).toEqual({ relayCores: [0, 2], loadCore: 1 });
    expect(placeProcesses(true, 4, 4)).toEqual({ relayCores: undefined, loadCore: 1 });
    expect(placeProcesses(false, 1, 2)).toEqual({ relayCores: undefined, loadCore: undefined });
    expect(placeProcesses(true, 1, 1)).toEqual({ relayCores: undefined, loadCore: undefined });
    expect(describePlacement(placeProcesses(true, 2, 4))).toBe('relay on cores 0,2, load on core 1');
    expect(describePlacement(placeProcesses(true, 2, 2))).toBe('relay unpinned, load on core 1');
  });

  it('turns two reads of workerStats() into each worker’s share of a core and its counts over the window', () => {
    const first: WorkerSnapshot = {
      atNs: 1_000_000_000n,
      stats: [
        { worker: 1, cpuUserUs: 500_000, cpuSystemUs: 100_000, packetsIn: 1_000, mediaIn: 0, mediaForwarded: 9_000 },
        { worker: 0, cpuUserUs: 700_000, cpuSystemUs: 300_000, packetsIn: 2_000, mediaIn: 0, mediaForwarded: 18_000 },
      ],
    };
    const last: WorkerSnapshot = {
      atNs: 3_000_000_000n,
      stats: [
        { worker: 0, cpuUserUs: 1_300_000, cpuSystemUs: 500_000, packetsIn: 5_000, mediaIn: 0, mediaForwarded: 45_000 },
        { worker: 1, cpuUserUs: 800_000, cpuSystemUs: 200_000, packetsIn: 2_500, mediaIn: 0, mediaForwarded: 22_500 },
      ],
    };
    expect(workerWindows(first, last)).toEqual([
      { worker: 0, cpuPct: 40, packetsIn: 3_000, mediaForwarded: 27_000 },
      { worker: 1, cpuPct: 20, packetsIn: 1_500, mediaForwarded: 13_500 },
    ]);
  });

  it('refuses worker counts outside 1–64, and more than one for the naive relay', () => {
    expect(() => validateCase({ ...voiceCase('parley', 20, 2), workers: 0 })).toThrow('workers must be an integer from 1 to 64, got 0');
    expect(() => validateCase({ ...voiceCase('parley', 20, 2), workers: 1.5 })).toThrow('workers must be an integer from 1 to 64, got 1.5');
    expect(() => validateCase({ ...voiceCase('naive', 10, 1), workers: 2 })).toThrow('the naive relay has one socket and no workers');
    expect(() => validateCase({ ...voiceCase('parley', 20, 2), workers: 2 })).not.toThrow();
  });
});
