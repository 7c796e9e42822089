import { BLOCK_MS, BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { amplitudeToDb, rmsDb } from '../../electron/engine/dsp/decibels.js';
import { SpeechAutoGain } from '../../electron/engine/send/processing/gain/speech-auto-gain.js';
import { VoiceDetector } from '../../electron/engine/send/voice-detector.js';
import { peakOf, runAutoGain, settledFrom, speechAt } from '../../test/engine/send/processing/gain-signals.js';
import { activeLevelByFlagsDb } from '../../test/support/signals.js';
import { round } from './stats.js';

/** A whisper-quiet microphone, a quiet one, a well-set one and a hot one (speech RMS, dBFS). */
export const AGC_SOURCES_DB = [-40, -30, -20, -6] as const;

interface SourceResult {
  beforeDb: number;
  afterDb: number;
  gainDb: number;
  settleS: number;
  peakDb: number;
  hints: boolean[];
  blocks: Float32Array[];
}

/**
 * The automatic gain on the speech fixture at each source level, `passes`
 * times over, judged by the real voice detector on its output as in the send
 * path (the verdict on a block comes back after it). Levels are the RMS over
 * the fixture's speech blocks, before and after, in the last pass (after
 * convergence); the spread is loudest minus quietest. settleS: audio time
 * until the gain stays within 1 dB of where it ends. Cost: the stage alone
 * (process and speechHint, replaying the recorded verdicts), per 10 ms frame,
 * on and off.
 */
export function agcCase(options: { passes: number; costRepeats: number }): Record<string, unknown> {
  const results = AGC_SOURCES_DB.map((levelDb) => measure(levelDb, options.passes));
  const spread = (levels: number[]): number => Math.max(...levels) - Math.min(...levels);
  const before = results.map((r) => r.beforeDb);
  const after = results.map((r) => r.afterDb);
  return {
    case: 'agc',
    sourcesDb: [...AGC_SOURCES_DB],
    beforeDb: before.map((x) => round(x)),
    afterDb: after.map((x) => round(x)),
    spreadBeforeDb: round(spread(before)),
    spreadAfterDb: round(spread(after)),
    gainDb: results.map((r) => round(r.gainDb)),
    settleS: results.map((r) => round(r.settleS, 2)),
    peakDb: round(Math.max(...results.map((r) => r.peakDb)), 2),
    msPerFrame: round(costPerFrame(results, true, options.costRepeats), 4),
    offMsPerFrame: round(costPerFrame(results, false, options.costRepeats), 4),
  };
}

function measure(levelDb: number, passes: number): SourceResult {
  const source = speechAt(levelDb, passes);
  const detector = new VoiceDetector();
  const hints: boolean[] = [];
  const run = runAutoGain(new SpeechAutoGain(), source.blocks, (_, output) => {
    const speech = detector.update(rmsDb(output));
    hints.push(speech);
    return speech;
  });
  const lastPass = source.blocks.length - source.blocks.length / passes;
  return {
    beforeDb: activeLevelByFlagsDb(source.blocks.slice(lastPass), source.speech.slice(lastPass)),
    afterDb: activeLevelByFlagsDb(run.output.slice(lastPass), source.speech.slice(lastPass)),
    gainDb: run.gainsDb.at(-1)!,
    settleS: (settledFrom(run.gainsDb, 1) * BLOCK_MS) / 1000,
    peakDb: amplitudeToDb(peakOf(run.output)),
    hints,
    blocks: source.blocks,
  };
}

function costPerFrame(results: readonly SourceResult[], enabled: boolean, repeats: number): number {
  const output = new Float32Array(BLOCK_SAMPLES);
  let frames = 0;
  const start = process.hrtime.bigint();
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const { blocks, hints } of results) {
      const agc = new SpeechAutoGain({ enabled });
      for (let i = 0; i < blocks.length; i++) {
        agc.process(blocks[i]!, output);
        agc.speechHint(hints[i]!);
      }
      frames += blocks.length;
    }
  }
  return Number(process.hrtime.bigint() - start) / 1e6 / frames;
}
