import { BLOCK_SAMPLES, SAMPLES_PER_MS } from '../../electron/engine/audio-format.js';
import { correlationAt } from '../../test/support/audio-compare.js';
import { noise } from '../../test/support/noise-signals.js';

const MARKER_EVERY_MS = 500;
const LEAD_IN_MS = 1_000;

/** How far after its input time a marker is looked for in the output. */
export const SEARCH_MS = 300;
/** Below this normalised correlation a marker counts as not found. */
const FOUND_ABOVE = 0.5;

/** A 20 ms rising chirp (300 Hz to 3 kHz) under a Hann window: sharp in time after correlation, and speech-band. */
function chirp(): Float32Array {
  const n = 20 * SAMPLES_PER_MS;
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (300 + (2700 * i) / n)) / 48_000;
    out[i] = 0.5 * Math.sin(phase) * 0.5 * (1 - Math.cos((2 * Math.PI * i) / (n - 1)));
  }
  return out;
}

/**
 * The latency case's input: a chirp every 500 ms for `seconds`, after a
 * second's lead-in, over a −55 dBFS noise bed (so continuous transmission
 * never goes DTX-silent), and half a second's tail. `starts` are the chirps'
 * first samples.
 */
export function markedSignal(seconds: number): { signal: Float32Array; marker: Float32Array; starts: number[] } {
  const marker = chirp();
  const count = Math.floor((seconds * 1000) / MARKER_EVERY_MS);
  const starts = Array.from({ length: count }, (_, i) => (LEAD_IN_MS + i * MARKER_EVERY_MS) * SAMPLES_PER_MS);
  const signal = noise(LEAD_IN_MS / 1000 + (count * MARKER_EVERY_MS) / 1000 + 0.5, 0.003, 7);
  for (const start of starts) for (let k = 0; k < marker.length; k++) signal[start + k]! += marker[k]!;
  return { signal, marker, starts };
}

/** What the edge taps saw: when each 10 ms block crossed each edge (ms), and what the output played. */
export interface EdgeRecord {
  inputTimes: readonly number[];
  outputTimes: readonly number[];
  heard: Float32Array;
}

/**
 * Each marker's latency in ms: the time its first sample was handed to the
 * output less the time it was delivered by the input (block times plus the
 * sample's place in its block). `markerStarts` are the markers' first samples
 * in the input, each at a block's start. The output position is found by
 * correlation within SEARCH_MS after the first output block handed over no
 * earlier than the input's; a marker not found there has no latency.
 */
export function markerLatencies(edges: EdgeRecord, marker: Float32Array, markerStarts: readonly number[]): number[] {
  const latencies: number[] = [];
  for (const start of markerStarts) {
    if (start % BLOCK_SAMPLES !== 0) throw new RangeError(`marker at sample ${start} does not start a block`);
    const inMs = edges.inputTimes[start / BLOCK_SAMPLES];
    if (inMs === undefined) continue;
    const firstBlock = edges.outputTimes.findIndex((t) => t >= inMs);
    if (firstBlock < 0) continue;
    const found = findMarker(edges.heard, marker, firstBlock * BLOCK_SAMPLES, SEARCH_MS * SAMPLES_PER_MS);
    if (found === undefined) continue;
    const outMs = edges.outputTimes[Math.floor(found / BLOCK_SAMPLES)]! + (found % BLOCK_SAMPLES) / SAMPLES_PER_MS;
    latencies.push(outMs - inMs);
  }
  return latencies;
}

/** Where `marker` starts in `heard`, searching `span` samples from `from`: coarse steps, then sample by sample. */
export function findMarker(heard: Float32Array, marker: Float32Array, from: number, span: number): number | undefined {
  const COARSE = 4;
  let best = { at: from, score: -1 };
  for (let at = from; at < from + span; at += COARSE) {
    const score = correlationAt(heard, marker, at);
    if (score > best.score) best = { at, score };
  }
  for (let at = best.at - COARSE; at <= best.at + COARSE; at++) {
    const score = correlationAt(heard, marker, at);
    if (score > best.score) best = { at, score };
  }
  return best.score >= FOUND_ABOVE ? best.at : undefined;
}
