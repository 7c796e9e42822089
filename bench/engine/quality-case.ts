import { carrySpeechTogether, type SpeechRunResult } from '../../test/support/speech-run.js';
import type { Impairment } from '../../test/support/udp-proxy.js';
import { VoiceRig } from '../../test/support/voice-rig.js';
import { round } from './stats.js';

export interface Condition {
  lossPct: number;
  delayMs: number;
  jitterMs: number;
}

export const CONDITIONS: readonly Condition[] = [
  { lossPct: 0, delayMs: 0, jitterMs: 0 },
  { lossPct: 5, delayMs: 0, jitterMs: 0 },
  { lossPct: 10, delayMs: 0, jitterMs: 0 },
  { lossPct: 20, delayMs: 0, jitterMs: 0 },
  { lossPct: 0, delayMs: 20, jitterMs: 10 },
];

/**
 * Speech (the fixture, `repeats` times) from a talker whose uplink the seeded
 * proxy impairs, to a listener, with RED forced on and off; both runs at once
 * in separate rooms with the same seed, so both lose the same packets.
 * Measures: median and 10th-percentile normalised correlation of 100 ms
 * voiced segments with what was said, each found within ±40 ms of the global
 * alignment (test/support/audio-compare.ts). Also the longest the event loop
 * ran late while both streamed, which says whether the machine was quiet
 * enough for the correlations to be the engine's.
 */
export async function qualityCase(condition: Condition, options: { seed: number; repeats: number }): Promise<Record<string, unknown>[]> {
  const rig = await VoiceRig.start();
  try {
    const uplink: Impairment = { lossPct: condition.lossPct, delayMs: condition.delayMs, jitterMs: condition.jitterMs };
    const runs = await carrySpeechTogether(
      rig,
      (['on', 'off'] as const).map((red) => ({ room: `red-${red}`, seed: options.seed, uplink, red, repeats: options.repeats })),
    );
    return runs.map((run, index) => line(condition, index === 0 ? 'on' : 'off', run));
  } finally {
    await rig.close();
  }
}

function line(condition: Condition, red: 'on' | 'off', run: SpeechRunResult): Record<string, unknown> {
  return {
    case: 'quality',
    lossPct: condition.lossPct,
    delayMs: condition.delayMs,
    jitterMs: condition.jitterMs,
    red,
    medianCorrelation: round(run.match.medianCorrelation, 3),
    lowDecileCorrelation: round(run.match.lowDecileCorrelation, 3),
    segments: run.match.segments,
    packetsSent: run.mediaSent,
    packetsDropped: run.network.dropped,
    lost: run.stats.lost,
    recoveredByRed: run.stats.recoveredByRed,
    late: run.stats.late,
    concealedPct: round(run.stats.concealedPct, 2),
    targetDelayMs: round(run.stats.targetDelayMs),
    loopStallMs: round(run.loopStallMs),
  };
}
