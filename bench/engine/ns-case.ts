import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { meanSquare, powerToDb } from '../../electron/engine/dsp/decibels.js';
import type { NoiseSuppression } from '../../electron/engine/send/processing/capture-stage.js';
import { loadNoiseSuppression, type NoiseSuppressorFactory } from '../../electron/engine/send/processing/noise/load-noise-suppression.js';
import { matchSegments } from '../../test/support/audio-compare.js';
import { babble, brownNoise, whiteNoise } from '../../test/support/noise-signals.js';
import { activeLevelBySegmentsDb, mix, repeated } from '../../test/support/signals.js';
import { loadSpeech } from '../../test/engine/send/helpers.js';
import { round } from './stats.js';

/** RNNoise's output lags its input by one block. */
const LAG = BLOCK_SAMPLES;

interface Noise {
  name: string;
  /** The noise for `length` samples, given the speech's active level in dBFS. */
  make(speech: Float32Array, length: number, speechDb: number): Float32Array;
}

/** The three rooms: white noise at 10 dB SNR, babble at 0 dB, and a fan (brown noise) at −40 dBFS; SNR against the speech's active level. */
export const NOISES: readonly Noise[] = [
  { name: 'white 10 dB SNR', make: (_, length, speechDb) => whiteNoise(length, speechDb - 10, 21) },
  { name: 'babble 0 dB SNR', make: (speech, length, speechDb) => babble(speech, length, speechDb) },
  { name: 'fan -40 dBFS', make: (_, length) => brownNoise(length, -40, 23) },
];

/**
 * The noise suppressor on the speech fixture, looped `repeats` times (the
 * first pass is RNNoise settling and is left out of every figure), at each
 * strength: for each noise, the segment correlation (audio-compare.ts) and
 * signal-to-distortion ratio against the clean speech before and after, how
 * far the pauses and the noise alone fall; for clean speech, the damage
 * (correlation, SDR, level); and the CPU time per 10 ms block.
 */
export async function nsCase(options: { repeats: number }): Promise<Record<string, unknown>[]> {
  const make = await loadNoiseSuppression();
  const speech = loadSpeech();
  const clean = repeated(speech, options.repeats);
  const settled = speech.length;
  const speechDb = activeLevelBySegmentsDb(speech);
  const pauses = quietBlocks(clean, settled, speechDb - 40);
  const lines: Record<string, unknown>[] = [];
  for (const strength of ['low', 'high'] as const) {
    const out = suppressed(make, strength, clean).output;
    const match = matchSegments(out.subarray(settled), speech, LAG);
    lines.push({
      case: 'ns',
      strength,
      noise: 'none',
      medianCorrelation: round(match.medianCorrelation, 3),
      lowDecileCorrelation: round(match.lowDecileCorrelation, 3),
      sdrDb: round(sdrDb(out, clean, LAG, settled)),
      levelChangeDb: round(activeLevelBySegmentsDb(out.subarray(settled + LAG)) - activeLevelBySegmentsDb(clean.subarray(settled)), 2),
    });
    for (const noise of NOISES) {
      const alone = noise.make(speech, clean.length, speechDb);
      const noisy = mix(clean, alone);
      const heard = suppressed(make, strength, noisy).output;
      const before = matchSegments(noisy.subarray(settled), speech, 0);
      const after = matchSegments(heard.subarray(settled), speech, LAG);
      lines.push({
        case: 'ns',
        strength,
        noise: noise.name,
        medianCorrelationIn: round(before.medianCorrelation, 3),
        medianCorrelationOut: round(after.medianCorrelation, 3),
        lowDecileIn: round(before.lowDecileCorrelation, 3),
        lowDecileOut: round(after.lowDecileCorrelation, 3),
        sdrInDb: round(sdrDb(noisy, clean, 0, settled)),
        sdrOutDb: round(sdrDb(heard, clean, LAG, settled)),
        pauseAttenuationDb: round(powerToDb(blocksPower(noisy, pauses, 0)) - powerToDb(blocksPower(heard, pauses, LAG))),
        noiseAloneAttenuationDb: round(powerToDb(meanSquare(alone.subarray(settled))) - powerToDb(meanSquare(suppressed(make, strength, alone).output.subarray(settled + LAG)))),
      });
    }
  }
  const cost = suppressed(make, 'high', mix(clean, NOISES[0]!.make(speech, clean.length, speechDb)));
  lines.push({ case: 'ns', strength: 'high', cpuMsPerBlock: round(cost.cpuMs / cost.blocks, 3), blocks: cost.blocks });
  return lines;
}

function suppressed(make: NoiseSuppressorFactory, strength: NoiseSuppression, input: Float32Array): { output: Float32Array; cpuMs: number; blocks: number } {
  const suppressor = make(strength);
  const blocks = Math.floor(input.length / BLOCK_SAMPLES);
  const output = new Float32Array(blocks * BLOCK_SAMPLES);
  const started = process.cpuUsage();
  for (let at = 0; at < output.length; at += BLOCK_SAMPLES) suppressor.process(input.subarray(at, at + BLOCK_SAMPLES), output.subarray(at, at + BLOCK_SAMPLES));
  const used = process.cpuUsage(started);
  suppressor.close();
  return { output, cpuMs: (used.user + used.system) / 1000, blocks };
}

/**
 * Signal-to-distortion ratio of `heard` (shifted back by `lag`) against
 * `clean` from `from` on, after the least-squares gain: everything that is
 * not the clean speech counts against it, residual noise and damage alike.
 */
function sdrDb(heard: Float32Array, clean: Float32Array, lag: number, from: number): number {
  let cleanEnergy = 0;
  let product = 0;
  for (let i = from; i + lag < heard.length && i < clean.length; i++) {
    cleanEnergy += clean[i]! * clean[i]!;
    product += heard[i + lag]! * clean[i]!;
  }
  const gain = product / cleanEnergy;
  let error = 0;
  for (let i = from; i + lag < heard.length && i < clean.length; i++) error += (heard[i + lag]! - gain * clean[i]!) ** 2;
  return 10 * Math.log10((gain * gain * cleanEnergy) / error);
}

/** The blocks from `from` on (but the last two) where the clean speech is below `belowDb`: its pauses. */
function quietBlocks(clean: Float32Array, from: number, belowDb: number): number[] {
  const blocks: number[] = [];
  for (let block = Math.ceil(from / BLOCK_SAMPLES); (block + 3) * BLOCK_SAMPLES <= clean.length; block++) {
    if (powerToDb(meanSquare(clean.subarray(block * BLOCK_SAMPLES, (block + 1) * BLOCK_SAMPLES))) < belowDb) blocks.push(block);
  }
  return blocks;
}

function blocksPower(signal: Float32Array, blocks: number[], lag: number): number {
  let sum = 0;
  for (const block of blocks) sum += meanSquare(signal.subarray(block * BLOCK_SAMPLES + lag, (block + 1) * BLOCK_SAMPLES + lag));
  return sum / blocks.length;
}

