import { describe, expect, it } from 'vitest';
import { formatStatsLine } from '../../cli/stats-line.js';
import type { VoiceSnapshot } from '../../electron/client/voice-snapshot.js';
import { receiveStats } from '../support/receive-stats.js';

describe('the join command’s stats line', () => {
  it('reads as one line per tick: our link, then each peer’s rate, loss, jitter, lateness and buffer', () => {
    const snapshot: VoiceSnapshot = {
      status: { state: 'connected' },
      encrypted: true,
      self: { id: 3, name: 'bot', muted: false, deafened: false, talking: true, inputLevelDb: -20.4, redundancy: true, transport: 'tcp', uplinkKbps: 27.46, rttMs: 1.4, uplinkLossPct: 0, processing: null },
      peers: [
        { id: 7, name: 'Ben', muted: false, deafened: false, talking: true, levelDb: -18, volume: 1, localMuted: false, downlinkKbps: 25.3, stats: receiveStats() },
        { id: 9, name: 'Cai', muted: false, deafened: false, talking: false, levelDb: -100, volume: 1, localMuted: false, downlinkKbps: 0, stats: null },
      ],
    };
    expect(formatStatsLine(snapshot)).toBe(
      'rtt 1 ms | up 27.5 kbit/s | talking | level -20 dB | red on | via TCP | Ben: 25.3 kbit/s loss 1.3% jitter 3.1 ms late 0.4% buffer 39 ms talking | Cai: starting',
    );
  });

  it('says what capture processing does: echo removed, whether suppression acts, the gain; dashes for what is not known yet', () => {
    const line = (processing: VoiceSnapshot['self']['processing']): string =>
      formatStatsLine({
        status: { state: 'connected' },
        encrypted: true,
        self: { id: 3, name: 'bot', muted: false, deafened: false, talking: false, inputLevelDb: -60, redundancy: false, transport: 'udp', uplinkKbps: 0, rttMs: 2, uplinkLossPct: null, processing },
        peers: [],
      });
    expect(line({ erleDb: 31.6, delayMs: 84, suppressing: true, autoGainDb: 7.25 })).toBe('rtt 2 ms | up 0.0 kbit/s | quiet | level -60 dB | erle 32 dB ns acting agc +7.3 dB');
    expect(line({ erleDb: undefined, delayMs: undefined, suppressing: false, autoGainDb: -2 })).toBe('rtt 2 ms | up 0.0 kbit/s | quiet | level -60 dB | erle – dB ns idle agc -2.0 dB');
    expect(line(null)).toBe('rtt 2 ms | up 0.0 kbit/s | quiet | level -60 dB');
  });
});
