import { describe, expect, it } from 'vitest';
import { formatStatsLine } from '../../cli/stats-line.js';
import type { VoiceSnapshot } from '../../electron/client/voice-snapshot.js';
import { receiveStats } from '../support/receive-stats.js';

describe('the join command’s stats line', () => {
  it('reads as one line per tick: our link, then each peer’s rate, loss, jitter, lateness and buffer', () => {
    const snapshot: VoiceSnapshot = {
      status: { state: 'connected' },
      encrypted: true,
      self: { id: 3, name: 'bot', muted: false, deafened: false, talking: true, inputLevelDb: -20.4, redundancy: true, uplinkKbps: 27.46, rttMs: 1.4, uplinkLossPct: 0 },
      peers: [
        { id: 7, name: 'Ben', muted: false, deafened: false, talking: true, levelDb: -18, volume: 1, localMuted: false, downlinkKbps: 25.3, stats: receiveStats() },
        { id: 9, name: 'Cai', muted: false, deafened: false, talking: false, levelDb: -100, volume: 1, localMuted: false, downlinkKbps: 0, stats: null },
      ],
    };
    expect(formatStatsLine(snapshot)).toBe(
      'rtt 1 ms | up 27.5 kbit/s | talking | level -20 dB | red on | Ben: 25.3 kbit/s loss 1.3% jitter 3.1 ms late 0.4% buffer 39 ms talking | Cai: starting',
    );
  });
});
