import { samplesFor } from '../audio-format.js';

/** Shortest cut: 1 ms. */
export const MIN_CUT_SAMPLES = samplesFor(1);
/** Longest cut: 5 ms, half a block, leaving the other half to crossfade over. */
export const MAX_CUT_SAMPLES = samplesFor(5);

/**
 * Shortens a block by 1–5 ms without a click or a pitch change (synchronous
 * overlap-add): it finds the lag at which the block best matches itself (a
 * pitch period, for voiced sound) and crossfades from the block to the block
 * shifted by that lag. For periodic sound the result is the same waveform,
 * one period shorter. The first and last samples are kept, so the output
 * joins its neighbours seamlessly. Writes into `output` and returns how many
 * samples it wrote; `output` needs room for the whole block.
 */
export function compressBlock(block: Float32Array, output: Float32Array): number {
  if (block.length < 2 * MAX_CUT_SAMPLES) throw new RangeError(`a block to compress must hold at least ${2 * MAX_CUT_SAMPLES} samples`);
  if (output.length < block.length) throw new RangeError('compressBlock() needs an output at least as long as the block');
  const cut = bestLag(block);
  const length = block.length - cut;
  for (let i = 0; i < length; i++) {
    const w = (i + 1) / (length + 1);
    output[i] = block[i]! * (1 - w) + block[i + cut]! * w;
  }
  return length;
}

/** The lag with the highest normalised correlation between the block and itself shifted; ties go to the shorter cut. */
function bestLag(block: Float32Array): number {
  let best = MIN_CUT_SAMPLES;
  let bestScore = -Infinity;
  for (let lag = MIN_CUT_SAMPLES; lag <= MAX_CUT_SAMPLES; lag++) {
    const overlap = block.length - lag;
    let cross = 0;
    let energyA = 0;
    let energyB = 0;
    for (let i = 0; i < overlap; i++) {
      const a = block[i]!;
      const b = block[i + lag]!;
      cross += a * b;
      energyA += a * a;
      energyB += b * b;
    }
    const score = energyA > 0 && energyB > 0 ? cross / Math.sqrt(energyA * energyB) : 0;
    if (score > bestScore + 1e-9) {
      best = lag;
      bestScore = score;
    }
  }
  return best;
}
