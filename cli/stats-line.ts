import type { VoiceSnapshot } from '../electron/client/voice-snapshot.js';
import type { CaptureProcessingStats } from '../electron/engine/send/processing/capture-processor.js';

const fixed = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined ? '–' : value.toFixed(digits));

/** What capture processing does now: echo removed (ERLE), whether suppression acts, the automatic gain. */
function processingText({ erleDb, suppressing, autoGainDb }: CaptureProcessingStats): string {
  const gain = `${autoGainDb >= 0 ? '+' : ''}${autoGainDb.toFixed(1)}`;
  return `erle ${fixed(erleDb, 0)} dB ns ${suppressing ? 'acting' : 'idle'} agc ${gain} dB`;
}

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
  if (self.transport === 'tcp') parts.push('via TCP');
  if (self.processing) parts.push(processingText(self.processing));
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
