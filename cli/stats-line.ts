import type { VoiceSnapshot } from '../electron/client/voice-snapshot.js';

const fixed = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined ? '–' : value.toFixed(digits));

/** One line a person can read at a glance, and a script can still parse: "key value unit | …". */
export function formatStatsLine(snapshot: VoiceSnapshot): string {
  const self = snapshot.self;
  const parts = [
    `rtt ${fixed(self.rttMs, 0)} ms`,
    `up ${fixed(self.uplinkKbps)} kbit/s`,
    self.talking ? 'talking' : self.muted ? 'muted' : 'quiet',
    `level ${fixed(self.inputLevelDb, 0)} dB`,
  ];
  if (self.redundancy) parts.push('red on');
  for (const peer of snapshot.peers) {
    const stats = peer.stats;
    parts.push(
      stats
        ? `${peer.name}: ${fixed(peer.downlinkKbps)} kbit/s loss ${fixed(stats.lostPct)}% jitter ${fixed(stats.jitterMs)} ms late ${fixed(stats.latePct)}% buffer ${fixed(stats.bufferDelayMs, 0)} ms${peer.talking ? ' talking' : ''}`
        : `${peer.name}: starting`,
    );
  }
  return parts.join(' | ');
}
