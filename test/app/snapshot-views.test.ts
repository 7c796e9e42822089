import { describe, expect, it } from 'vitest';
import { gradeLink, peerView, selfView } from '../../electron/app/snapshot.js';
import type { PeerSnapshot } from '../../electron/client/voice-snapshot.js';
import { receiveStats } from '../support/receive-stats.js';

const peer = (overrides: Partial<PeerSnapshot> = {}): PeerSnapshot => ({
  id: 7,
  name: 'Ben',
  muted: false,
  deafened: false,
  talking: true,
  levelDb: -18.26,
  volume: 1.5,
  localMuted: false,
  downlinkKbps: 25.3,
  stats: receiveStats(),
  ...overrides,
});

describe('what the window is shown of the engine’s state', () => {
  it('grades a link by loss and round trip, with the thresholds the member list explains', () => {
    expect([gradeLink(null, null), gradeLink(1.9, 149), gradeLink(2, null), gradeLink(null, 150), gradeLink(8.1, 20), gradeLink(0, 401), gradeLink(8, 400)]).toEqual([
      'unknown',
      'good',
      'fair',
      'fair',
      'poor',
      'poor',
      'fair',
    ]);
  });

  it('shows a peer’s loss, jitter, lateness, buffer and received rate, rounded for reading', () => {
    expect(peerView(peer())).toEqual({
      id: 7,
      name: 'Ben',
      muted: false,
      deafened: false,
      talking: true,
      levelDb: -18.3,
      volume: 1.5,
      localMuted: false,
      quality: { rttMs: null, lossPct: 1.3, jitterMs: 3.1, latePct: 0.4, bufferMs: 39, kbps: 25.3, grade: 'good' },
    });
  });

  it('says nothing it has not measured: a peer whose decoder is starting, or who has sent one packet', () => {
    expect(peerView(peer({ stats: null, downlinkKbps: 0 })).quality).toEqual({ rttMs: null, lossPct: null, jitterMs: null, latePct: null, bufferMs: null, kbps: 0, grade: 'unknown' });
    expect(peerView(peer({ stats: receiveStats({ packetsReceived: 1, lostPct: 0 }) })).quality).toMatchObject({ lossPct: 0, jitterMs: null, latePct: 0.4 });
  });

  it('shows our own round trip and uplink loss', () => {
    const self = { id: 3, name: 'Ana', muted: true, deafened: false, talking: false, inputLevelDb: -61.04, redundancy: true, transport: 'tcp' as const, uplinkKbps: 27.5 };
    expect(selfView({ ...self, rttMs: 38.6, uplinkLossPct: 9, processing: null })).toEqual({
      ...self,
      inputLevelDb: -61,
      quality: { rttMs: 39, lossPct: 9, jitterMs: null, grade: 'poor' },
    });
  });
});
