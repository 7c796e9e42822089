/**
 * Following played blocks through a recording of a real, possibly slow, device.
 *
 * Under CPU load a speaker's stream underruns, and the device plays digital
 * silence until audio comes again (observed: a few ms to 2 s of it). When
 * PortAudio notices (through ALSA's pulse plugin), it recovers by recreating
 * the stream, and what sat in its buffer is discarded (observed: 15–35 ms,
 * whole 5 ms periods). One correlation over the whole recording then fails
 * however correct the blocks were. This finds every voiced block on its own,
 * in order, and lets the recording break only where the device visibly
 * underran (digital silence inserted, or a stall the player saw) and lose at
 * most a buffer's worth there: so blocks that are lost without an underrun,
 * reordered, repeated, corrupted, or never played still fail the check.
 */
import { correlationAt } from '../../support/audio-compare.js';
import { firstAlignment } from './signal.js';

export interface TraceOptions {
  /** Samples per block (the engine's 10 ms). */
  readonly blockSamples: number;
  /** A voiced block must correlate at least this well where it is found. */
  readonly minNcc: number;
  /** Blocks quieter than this mean square (default -40 dBFS) are not followed: silence is found anywhere. */
  readonly voicedMeanSquare?: number;
  /**
   * Searches of the rest of the recording (default 100, 5–10 s of work on a 5 s recording) before the
   * blocks still unfound are taken as missing: one underrun costs at most a few, a broken recording hundreds.
   */
  readonly maxSearches?: number;
}

/** Where the recording's offset from the reference changed between two found blocks. */
export interface TraceBreak {
  /** The last block found before the break and the first after it. */
  readonly before: number;
  readonly after: number;
  /** Samples the offset grew by: silence inserted less audio lost. */
  readonly shift: number;
  /** Lengths of the runs of digital silence (what an underrun plays) of 1 ms or more in the recording between the two. */
  readonly silences: readonly number[];
  /** The same in the reference between the two blocks: pauses of its own, which are no underrun. */
  readonly referenceSilences: readonly number[];
  /** Exact zeros in the recording, and in the reference, between the two blocks. */
  readonly recordedZeros: number;
  readonly referenceZeros: number;
  /** Voiced blocks between the two that were not found. */
  readonly missing: readonly number[];
}

export interface PlaybackTrace {
  readonly blockSamples: number;
  /** Voiced blocks of the reference, in order. */
  readonly voiced: number;
  /** Found voiced blocks: reference block index, where it starts in the recording, its correlation there. */
  readonly found: ReadonlyArray<{ readonly block: number; readonly at: number; readonly ncc: number }>;
  /** Voiced blocks found nowhere after the block before them. */
  readonly missing: readonly number[];
  readonly breaks: readonly TraceBreak[];
}

/** Blocks searched for where playing resumes: more than one underrun cuts (50 ms at most, up to 6 blocks touched). */
const RESUME_CANDIDATES = 8;
/** Correlations this close are taken as equally good matches: a converted stream's faithful blocks vary by as much. */
const ALIKE = 0.01;
/** Samples by which a block's best match may move through a 44.1 kHz stream's two resamplings. */
const RESAMPLER_SLACK = 2;

/**
 * Follows `reference`'s voiced blocks through `recording`. The waveforms are compared below about 4 kHz:
 * through a converted (44.1 kHz) stream the recording may sit a fraction of a sample off the reference, which
 * leaves a fricative's few kHz at 0.9 correlation however faithfully it was played.
 */
export function tracePlayback(rawRecording: Float32Array, rawReference: Float32Array, options: TraceOptions): PlaybackTrace {
  const recording = smoothed(rawRecording);
  const reference = smoothed(rawReference);
  const size = options.blockSamples;
  const voicedMeanSquare = options.voicedMeanSquare ?? 1e-4;
  let searchesLeft = options.maxSearches ?? 100;
  const voicedBlocks: number[] = [];
  for (let block = 0; (block + 1) * size <= reference.length; block++) {
    if (meanSquare(reference.subarray(block * size, (block + 1) * size)) >= voicedMeanSquare) voicedBlocks.push(block);
  }
  const blockAt = (block: number) => reference.subarray(block * size, (block + 1) * size);
  const found: Array<{ block: number; at: number; ncc: number }> = [];
  const missing: number[] = [];
  for (let i = 0; i < voicedBlocks.length; ) {
    const block = voicedBlocks[i]!;
    const last = found.at(-1);
    // Most blocks sit where the one before them says; search only when one does not.
    if (last) {
      const expected = last.at + (block - last.block) * size;
      const ncc = correlationAt(recording, blockAt(block), expected);
      if (ncc >= options.minNcc) {
        found.push({ block, at: expected, ncc });
        i++;
        continue;
      }
    }
    // Where playing resumed: a block can only come after the one found before it has ended, and an underrun's
    // silence may be seconds long. The next few blocks are searched for, each with the block after it, as the
    // first may be the one the underrun cut; each is taken where it first matches, as speech says the same
    // sounds again later ("clearly", "quickly").
    const from = last ? last.at + size : 0;
    const rest = recording.subarray(from);
    const candidates: Array<{ index: number; at: number; ncc: number; spanNcc: number }> = [];
    for (let j = i; j < Math.min(voicedBlocks.length, i + RESUME_CANDIDATES) && searchesLeft > 0; j++) {
      searchesLeft--;
      const candidate = voicedBlocks[j]!;
      const span = reference.subarray(candidate * size, Math.min(reference.length, (candidate + 2) * size));
      const match = rest.length >= span.length ? firstAlignment(rest, span, options.minNcc) : undefined;
      if (!match) continue;
      const at = from + match.lag;
      const ncc = correlationAt(recording, blockAt(candidate), at);
      if (ncc < options.minNcc) continue;
      candidates.push({ index: j, at, ncc, spanNcc: match.ncc });
      // Nothing can match much better, and the blocks after it come after it.
      if (match.ncc >= 0.999) break;
    }
    // Of those matching about as well as the best (faithful copies all do), the one that comes first in the
    // recording: a later copy of a sound is later, and a held vowel's match a few periods off is worse.
    const best = Math.max(...candidates.map((c) => c.spanNcc));
    const resumed = candidates.filter((c) => c.spanNcc >= best - ALIKE).sort((a, b) => a.at - b.at)[0];
    const next = resumed?.index ?? Math.min(voicedBlocks.length, i + RESUME_CANDIDATES);
    missing.push(...voicedBlocks.slice(i, next));
    if (resumed) found.push({ block: voicedBlocks[resumed.index]!, at: resumed.at, ncc: resumed.ncc });
    i = next + (resumed ? 1 : 0);
  }
  const breaks: TraceBreak[] = [];
  for (let i = 1; i < found.length; i++) {
    const a = found[i - 1]!;
    const b = found[i]!;
    const shift = b.at - b.block * size - (a.at - a.block * size);
    // Rounding in the resamplers of a converted stream may move a block's best match by a sample.
    if (Math.abs(shift) <= RESAMPLER_SLACK) continue;
    breaks.push({
      before: a.block,
      after: b.block,
      shift,
      silences: zeroRuns(rawRecording, a.at + size, b.at, 48),
      referenceSilences: zeroRuns(rawReference, (a.block + 1) * size, b.block * size, 48),
      recordedZeros: zeroRuns(rawRecording, a.at + size, b.at, 1).reduce((sum, run) => sum + run, 0),
      referenceZeros: zeroRuns(rawReference, (a.block + 1) * size, b.block * size, 1).reduce((sum, run) => sum + run, 0),
      missing: missing.filter((block) => block > a.block && block < b.block),
    });
  }
  return { blockSamples: size, voiced: voicedBlocks.length, found, missing, breaks };
}

/** A 4-sample moving average twice over (-3 dB near 4 kHz at 48 kHz, -14 dB at 8 kHz), without delay: centred. */
function smoothed(signal: Float32Array): Float32Array {
  const once = movingAverage(signal);
  const twice = movingAverage(once);
  // Each pass delays by 1.5 samples; the two together by 3, taken back here.
  return twice.subarray(3);
}

function movingAverage(signal: Float32Array): Float32Array {
  const out = new Float32Array(signal.length + 3);
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let k = 0; k < 4; k++) sum += signal[i - k] ?? 0;
    out[i] = sum / 4;
  }
  return out;
}

function meanSquare(samples: Float32Array): number {
  let sum = 0;
  for (const x of samples) sum += x * x;
  return sum / samples.length;
}

/** Lengths of the runs of exact zeros of at least `shortest` samples in signal[from, to). */
function zeroRuns(signal: Float32Array, from: number, to: number, shortest: number): number[] {
  const runs: number[] = [];
  let run = 0;
  for (let i = from; i <= to; i++) {
    if (i < to && signal[i] === 0) run++;
    else {
      if (run >= shortest) runs.push(run);
      run = 0;
    }
  }
  return runs;
}

export interface UnderrunLimits {
  /** Digital silence, beyond the reference's own, that shows the device underran between two blocks. */
  readonly minSilentSamples: number;
  /** Audio one underrun may discard: the plugin's buffer, naudiodon's queue and the chunk on its way. */
  readonly maxLostSamples: number;
  /**
   * Reference blocks the player saw the device stall at (pulled late): a witness to an underrun that left no
   * digital silence (a 44.1 kHz stream's resampler smears a short one; PulseAudio may write over one).
   */
  readonly stalledBlocks?: readonly number[];
  /** How many blocks from a break a stall may be and still explain it (default 8: a few buffers' worth). */
  readonly stallReach?: number;
}

/**
 * What in a trace a device's underruns do not explain, in words; empty when
 * every voiced block was played, in order, uncorrupted, except for audio lost
 * at visible underruns, at most `maxLostSamples` of it each.
 */
export function unexplainedFaults(trace: PlaybackTrace, limits: UnderrunLimits): string[] {
  if (trace.found.length === 0) return [`none of the ${trace.voiced} voiced blocks was played`];
  const faults: string[] = [];
  const atBreaks = new Set(trace.breaks.flatMap((b) => b.missing));
  const stray = trace.missing.filter((block) => !atBreaks.has(block));
  if (stray.length > 0) faults.push(`${stray.length === 1 ? 'block' : 'blocks'} ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} missing or damaged where the device played on`);
  for (const b of trace.breaks) {
    const where = `between blocks ${b.before} and ${b.after} (offset ${b.shift > 0 ? '+' : ''}${b.shift} samples)`;
    // Runs of silence beyond the reference's own pauses; an underrun in a pause lengthens the pause instead.
    const long = (runs: readonly number[]) => runs.filter((run) => run >= limits.minSilentSamples).length;
    const lengthened = b.recordedZeros - b.referenceZeros >= limits.minSilentSamples ? 1 : 0;
    const reach = limits.stallReach ?? 8;
    const stalled = (limits.stalledBlocks ?? []).some((block) => block >= b.before - reach && block <= b.after + reach);
    const underruns = Math.max(long(b.silences) - long(b.referenceSilences), lengthened, stalled ? 1 : 0);
    if (underruns <= 0) {
      faults.push(`${where}: the recording jumps with no underrun's silence (longest ${Math.max(0, ...b.silences)} silent samples) and no stall near`);
      continue;
    }
    const most = `more than ${underruns} underrun${underruns === 1 ? '' : 's'} discard${underruns === 1 ? 's' : ''}`;
    // Silence inserted is at least the zeros recorded beyond the reference's own; what the offset did not grow by was lost.
    const lost = b.recordedZeros - b.referenceZeros - b.shift;
    if (lost > underruns * limits.maxLostSamples) faults.push(`${where}: at least ${lost} samples lost, ${most}`);
    // The blocks an underrun's loss touches: the lost ones and one cut at each end.
    const touched = underruns * (Math.ceil(limits.maxLostSamples / trace.blockSamples) + 1);
    if (b.missing.length > touched) faults.push(`${where}: ${b.missing.length} voiced blocks missing or damaged, ${most}`);
  }
  return faults;
}
