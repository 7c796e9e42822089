import { describe, expect, it } from 'vitest';
import { voiceSnapshot, type VoiceState } from '../../electron/client/voice-snapshot.js';
import { SILENCE_DB } from '../../electron/engine/dsp/decibels.js';
import type { PeerReceiveStats } from '../../electron/engine/receive/receive-stats.js';
import { LOSS_UNKNOWN } from '../../server/protocol/session-messages.js';

const stats = { talking: true, level: -23.5, lostPct: 1 } as PeerReceiveStats;

function state(extra: Partial<VoiceState['self']> = {}): VoiceState {
  return {
    status: { state: 'connected' },
    encrypted: true,
    self: { id: 7, name: 'Ana', muted: false, deafened: false, talking: true, inputLevelDb: -30, redundancy: false, transport: 'udp', uplinkKbps: 24.5, rttMs: undefined, link: undefined, processing: null, ...extra },
    peers: [
      { info: { id: 9, name: 'Ben', flags: { muted: true, deafened: false, talking: true }, mediaSalt: new Uint8Array(16) }, stats, volume: 0.5, localMuted: false, downlinkKbps: 23 },
      { info: { id: 11, name: 'Cy', flags: { muted: false, deafened: true, talking: false }, mediaSalt: new Uint8Array(16) }, stats: undefined, volume: 1, localMuted: true, downlinkKbps: 0 },
    ],
  };
}

describe('voiceSnapshot', () => {
  it('shows each peer as it claims to be, with talking and level from our own receive path', () => {
    const snapshot = voiceSnapshot(state());
    expect(snapshot.peers).toEqual([
      { id: 9, name: 'Ben', muted: true, deafened: false, talking: true, levelDb: -23.5, volume: 0.5, localMuted: false, downlinkKbps: 23, stats },
      // No decoder yet: not talking, silent, no stats.
      { id: 11, name: 'Cy', muted: false, deafened: true, talking: false, levelDb: SILENCE_DB, volume: 1, localMuted: true, downlinkKbps: 0, stats: null },
    ]);
    expect(snapshot).toMatchObject({ status: { state: 'connected' }, encrypted: true });
  });

  it('gives our round trip and uplink loss as percent, and null for what was never measured', () => {
    expect(voiceSnapshot(state()).self).toEqual({
      id: 7, name: 'Ana', muted: false, deafened: false, talking: true, inputLevelDb: -30, redundancy: false, transport: 'udp', uplinkKbps: 24.5, rttMs: null, uplinkLossPct: null, processing: null,
    });
    const link = { rttMs: 40, uplinkLossPermille: 25, downlinkLossPermille: 0 };
    expect(voiceSnapshot(state({ rttMs: 41.5, link })).self).toMatchObject({ rttMs: 41.5, uplinkLossPct: 2.5 });
    expect(voiceSnapshot(state({ rttMs: 41.5, link: { ...link, uplinkLossPermille: LOSS_UNKNOWN } })).self.uplinkLossPct).toBeNull();
  });
});
