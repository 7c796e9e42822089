import type { TimeAdjust } from './decision-logic.js';
import { rmsDb } from '../dsp/decibels.js';
import { cutSpan, estimatePitch, insertPitchPeriod, removePitchPeriod } from './time-compress.js';

/** Frames below this level may be shortened or lengthened freely: pauses, not words. */
const QUIET_DB = -45;
/** Speech is stretched only where it repeats this well (voiced), where a repeated period is inaudible. */
const VOICED_CORRELATION = 0.7;

/**
 * Shortens or lengthens one decoded frame as the decision logic asked, in
 * the least audible way the frame allows; returns it unchanged when no way is
 * quiet enough. Every method crossfades, so none clicks.
 */
export function adjustFrame(pcm: Float32Array, adjust: TimeAdjust, spliceSamples: number): Float32Array {
  const maxSamples = Math.floor(adjust.maxSamples);
  if (maxSamples <= 0) return pcm;
  const quiet = rmsDb(pcm) < QUIET_DB;
  if (adjust.kind === 'compress') {
    // A pause can lose nearly all of itself; speech at most one pitch period per frame.
    if (quiet) return cutSpan(pcm, Math.min(maxSamples, pcm.length - spliceSamples), spliceSamples);
    if (!adjust.speechAllowed) return pcm;
    const pitch = estimatePitch(pcm, maxSamples);
    return pitch ? removePitchPeriod(pcm, pitch.lag) : pcm;
  }
  const pitch = estimatePitch(pcm, maxSamples);
  if (!pitch || (!quiet && pitch.correlation < VOICED_CORRELATION)) return pcm;
  return insertPitchPeriod(pcm, pitch.lag);
}
