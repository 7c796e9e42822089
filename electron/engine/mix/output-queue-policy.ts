import { BLOCK_MS } from '../audio-format.js';
import { dbToGain } from '../send/decibels.js';

/**
 * What to do with the next mixed block, given how much audio the output
 * device already has queued:
 * - `write`: write it as is;
 * - `pad`: the device is about to run dry: write a block of silence first, so
 *   the cushion is rebuilt once rather than glitching block after block;
 * - `compress`: too much is queued and the block is audible: write it
 *   shortened by compressBlock(), which drains a few ms unnoticed;
 * - `skip`: don't write it: it is silent and the queue is above target (a
 *   dropped silent block is inaudible), or the queue is past its hard limit.
 */
export type OutputAction = 'write' | 'pad' | 'compress' | 'skip';

export interface OutputQueueLimits {
  /** Below this the device is about to underrun. */
  lowMs: number;
  /** Where silent blocks start being dropped: the latency the queue settles at. */
  targetMs: number;
  /** Above this even audible blocks are shortened. */
  highMs: number;
  /** Above this blocks are dropped whatever they hold: the queue can never grow without bound. */
  maxMs: number;
}

/**
 * 40 ms of queue covers the scheduling jitter of a desktop audio callback;
 * 60 ms before touching audible blocks leaves room for bursts; 150 ms is
 * where delay starts to hurt conversation (ITU-T G.114) and dropping audio is
 * the lesser harm.
 */
export const OUTPUT_QUEUE_DEFAULTS: OutputQueueLimits = { lowMs: 10, targetMs: 40, highMs: 60, maxMs: 150 };

/** A block whose peak stays below −60 dBFS is treated as silence. */
export const SILENT_PEAK = dbToGain(-60);

export function checkOutputQueueLimits(limits: OutputQueueLimits): void {
  const { lowMs, targetMs, highMs, maxMs } = limits;
  if (!(lowMs >= 0 && lowMs < targetMs && targetMs <= highMs && highMs < maxMs)) {
    throw new RangeError(`output queue limits must satisfy 0 ≤ low < target ≤ high < max (got ${lowMs}, ${targetMs}, ${highMs}, ${maxMs})`);
  }
}

/** Decides for one block; `blockPeak` is the block's largest absolute sample. Pure. */
export function decideOutput(bufferedMs: number, blockPeak: number, limits: OutputQueueLimits = OUTPUT_QUEUE_DEFAULTS): OutputAction {
  if (!(bufferedMs >= 0)) throw new RangeError(`buffered amount ${bufferedMs} ms must be a non-negative number`);
  if (bufferedMs < limits.lowMs) return 'pad';
  if (bufferedMs > limits.maxMs) return 'skip';
  // Dropping a silent block must not take the queue below target.
  if (blockPeak < SILENT_PEAK && bufferedMs >= limits.targetMs + BLOCK_MS) return 'skip';
  if (bufferedMs > limits.highMs) return 'compress';
  return 'write';
}

/** The largest absolute sample of a block, for decideOutput(). */
export function blockPeak(block: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < block.length; i++) {
    const magnitude = Math.abs(block[i]!);
    if (magnitude > peak) peak = magnitude;
  }
  return peak;
}
