import type { LinkQuality, PeerView, SelfView } from '../api/contract.js';
import type { PeerSnapshot, SelfSnapshot } from '../client/voice-snapshot.js';

/** good below 2 % loss and 150 ms; poor above 8 % loss or 400 ms; fair between. */
export function gradeLink(lossPct: number | null, rttMs: number | null): LinkQuality['grade'] {
  if (lossPct === null && rttMs === null) return 'unknown';
  if ((lossPct ?? 0) > 8 || (rttMs ?? 0) > 400) return 'poor';
  if ((lossPct ?? 0) >= 2 || (rttMs ?? 0) >= 150) return 'fair';
  return 'good';
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

export function selfView(self: SelfSnapshot): SelfView {
  const rttMs = self.rttMs === null ? null : Math.round(self.rttMs);
  return {
    id: self.id,
    name: self.name,
    muted: self.muted,
    deafened: self.deafened,
    talking: self.talking,
    inputLevelDb: round1(self.inputLevelDb),
    redundancy: self.redundancy,
    transport: self.transport,
    uplinkKbps: self.uplinkKbps,
    quality: { rttMs, lossPct: self.uplinkLossPct, jitterMs: null, grade: gradeLink(self.uplinkLossPct, rttMs) },
  };
}

export function peerView(peer: PeerSnapshot): PeerView {
  const stats = peer.stats;
  const lossPct = stats && stats.packetsReceived > 0 ? round1(stats.lostPct) : null;
  return {
    id: peer.id,
    name: peer.name,
    muted: peer.muted,
    deafened: peer.deafened,
    talking: peer.talking,
    levelDb: round1(peer.levelDb),
    volume: peer.volume,
    localMuted: peer.localMuted,
    quality: {
      // Only our own round trip is measured; a peer's path through the relay is not.
      rttMs: null,
      lossPct,
      jitterMs: stats && stats.packetsReceived > 1 ? round1(stats.jitterMs) : null,
      latePct: stats && stats.packetsReceived > 0 ? round1(stats.latePct) : null,
      bufferMs: stats ? Math.round(stats.bufferDelayMs) : null,
      kbps: peer.downlinkKbps,
      grade: gradeLink(lossPct, null),
    },
  };
}
