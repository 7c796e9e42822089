import { SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import type { RedMode } from '../../electron/engine/send/red-policy.js';
import { carrySpeechTogether, LEAD_IN_MS, type SpeechRunResult } from '../../test/support/speech-run.js';
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

/** How the talker sends: RED forced on or off, or on auto, as a first call to the relay or as one after a call that saw loss. */
interface Variant {
  red: RedMode;
  expectLoss: boolean;
}

const VARIANTS: readonly Variant[] = [
  { red: 'on', expectLoss: false },
  { red: 'off', expectLoss: false },
  { red: 'auto', expectLoss: false },
  { red: 'auto', expectLoss: true },
];

/**
 * Speech (the fixture, `repeats` times) from a talker whose uplink the seeded
 * proxy impairs, to a listener, in each variant (RED on, off, and on auto
 * with and without a lossy last call); all runs at once in separate rooms
 * with the same seed, so all lose the same packets.
 * Measures: median and 10th-percentile normalised correlation of 100 ms
 * voiced segments with what was said, each found within ±40 ms of the global
 * alignment (test/support/audio-compare.ts); the share of frames unrecovered
 * (neither the packet nor a copy came) beside the ideal for independent loss
 * at the drop rate seen and the RED depth used (p^(depth+1)), and how the
 * unrecovered frames fall in the first and second half of the speech. Also
 * the longest the event loop ran late while they streamed, which says
 * whether the machine was quiet enough for the figures to be the engine's.
 */
export async function qualityCase(condition: Condition, options: { seed: number; repeats: number }): Promise<Record<string, unknown>[]> {
  const rig = await VoiceRig.start();
  try {
    const uplink: Impairment = { lossPct: condition.lossPct, delayMs: condition.delayMs, jitterMs: condition.jitterMs };
    const lostAt = VARIANTS.map(() => [] as { elapsedMs: number; lost: number }[]);
    const runs = await carrySpeechTogether(
      rig,
      VARIANTS.map((variant, index) => ({
        room: `red-${variant.red}${variant.expectLoss ? '-expecting-loss' : ''}`,
        seed: options.seed,
        uplink,
        red: variant.red,
        expectLoss: variant.expectLoss,
        repeats: options.repeats,
        onSample: (stats, elapsedMs) => lostAt[index]!.push({ elapsedMs, lost: stats.lost }),
      })),
    );
    return runs.map((run, index) => line(condition, VARIANTS[index]!, run, lostAt[index]!));
  } finally {
    await rig.close();
  }
}

function line(condition: Condition, variant: Variant, run: SpeechRunResult, lostAt: readonly { elapsedMs: number; lost: number }[]): Record<string, unknown> {
  // The deepest the talker went: two copies once reports average 15 % loss, else one while RED is on, else none.
  const redDepth = run.sent.twoCopyPackets > 0 ? 2 : variant.red === 'off' ? 0 : 1;
  const dropShare = run.mediaSent > 0 ? run.network.dropped / run.mediaSent : 0;
  const halfMs = LEAD_IN_MS + (1000 * run.said.length) / SAMPLE_RATE / 2;
  const lostFirstHalf = lostAt.filter((sample) => sample.elapsedMs <= halfMs).at(-1)?.lost ?? 0;
  return {
    case: 'quality',
    lossPct: condition.lossPct,
    delayMs: condition.delayMs,
    jitterMs: condition.jitterMs,
    red: variant.red,
    expectLoss: variant.expectLoss,
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
    redDepth,
    unrecoveredPct: round(run.stats.lostPct, 2),
    idealUnrecoveredPct: round(100 * dropShare ** (redDepth + 1), 2),
    lostFirstHalf,
    lostSecondHalf: run.stats.lost - lostFirstHalf,
    loopStallMs: round(run.loopStallMs),
  };
}
