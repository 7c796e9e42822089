/**
 * A synthetic room for the echo canceller: the far end's speech played
 * through a decaying echo path (a direct tap, then a 5 ms exponential tail of
 * seeded reflections, at 60 % level) after a delay, into a microphone that
 * may also hear the near end. Shared by the unit tests and the `aec` bench.
 */
import { BLOCK_SAMPLES, SAMPLE_RATE, samplesFor } from '../../../../electron/engine/audio-format.js';
import type { EchoCanceller } from '../../../../electron/engine/send/processing/capture-stage.js';
import { seededRandom } from '../../../support/prng.js';
import { energy } from '../../../support/signals.js';

export const ECHO_LEVEL = 0.6;

/** The room's impulse response: unit energy scaled to `level`, `lengthMs` long. */
export function roomResponse(level = ECHO_LEVEL, lengthMs = 20, decayMs = 5, seed = 3): Float64Array {
  const taps = new Float64Array(samplesFor(lengthMs));
  const random = seededRandom(seed);
  const decay = samplesFor(decayMs);
  taps[0] = 1;
  for (let k = 1; k < taps.length; k++) taps[k] = Math.exp(-k / decay) * (2 * random() - 1);
  const scale = level / Math.sqrt(energy(taps));
  return taps.map((tap) => tap * scale);
}

/**
 * `far` through `response` and `delayMs` late, as the microphone hears it.
 * `captureRate` above 1 is a capture clock running fast against the output
 * (1 + 100e-6 for 100 ppm), read between samples by cubic interpolation.
 */
export function echoOf(far: Float32Array, response: Float64Array, delayMs: number, captureRate = 1): Float32Array {
  const played = new Float64Array(far.length + response.length);
  for (let n = 0; n < far.length; n++) {
    const x = far[n]!;
    if (x === 0) continue;
    for (let k = 0; k < response.length; k++) played[n + k]! += x * response[k]!;
  }
  const at = (i: number): number => played[i] ?? 0;
  const delay = samplesFor(delayMs);
  const out = new Float32Array(far.length);
  for (let n = 0; n < out.length; n++) {
    const position = n * captureRate - delay;
    const i = Math.floor(position);
    const f = position - i;
    const [y0, y1, y2, y3] = [at(i - 1), at(i), at(i + 1), at(i + 2)];
    out[n] = f === 0 ? y1 : y1 + 0.5 * f * (y2 - y0 + f * (2 * y0 - 5 * y1 + 4 * y2 - y3 + f * (3 * (y1 - y2) + y3 - y0)));
  }
  return out;
}

/** `signal` placed at `atSeconds` in silence `seconds` long. */
export function placed(signal: Float32Array, atSeconds: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  out.set(signal.subarray(0, Math.max(0, out.length - Math.round(atSeconds * SAMPLE_RATE))), Math.round(atSeconds * SAMPLE_RATE));
  return out;
}

export interface Drive {
  /** Far-end blocks handed over before capture block `index` (default: that block of `far`, one for one). */
  renderBefore?: (index: number, canceller: EchoCanceller) => void;
  /** Called before capture block `index` is processed. */
  beforeBlock?: (index: number, canceller: EchoCanceller) => void;
}

/** Runs `mic` through `canceller` block by block with `far` as reference; returns what it sends on. */
export function cancel(canceller: EchoCanceller, far: Float32Array | undefined, mic: Float32Array, drive: Drive = {}): Float32Array {
  const out = new Float32Array(mic.length);
  const block = new Float32Array(BLOCK_SAMPLES);
  for (let index = 0; (index + 1) * BLOCK_SAMPLES <= mic.length; index++) {
    const from = index * BLOCK_SAMPLES;
    if (drive.renderBefore) drive.renderBefore(index, canceller);
    else if (far) canceller.render(far.subarray(from, from + BLOCK_SAMPLES));
    drive.beforeBlock?.(index, canceller);
    block.set(mic.subarray(from, from + BLOCK_SAMPLES));
    canceller.process(block, block);
    out.set(block, from);
  }
  return out;
}

const WINDOW = samplesFor(100);
/** Windows whose echo is quieter than this (−50 dBFS RMS) carry none worth measuring. */
const ECHO_WINDOW_FLOOR = WINDOW * 1e-5;

/** ERLE in dB of each 100 ms window in [fromSeconds, toSeconds) where the echo is present, with its start time. */
export function erleWindows(echo: Float32Array, out: Float32Array, fromSeconds: number, toSeconds: number): { atSeconds: number; erleDb: number }[] {
  const windows: { atSeconds: number; erleDb: number }[] = [];
  for (let at = Math.round(fromSeconds * SAMPLE_RATE); at + WINDOW <= Math.min(toSeconds * SAMPLE_RATE, out.length); at += WINDOW) {
    const echoEnergy = energy(echo, at, at + WINDOW);
    if (echoEnergy < ECHO_WINDOW_FLOOR) continue;
    windows.push({ atSeconds: at / SAMPLE_RATE, erleDb: 10 * Math.log10(echoEnergy / Math.max(energy(out, at, at + WINDOW), 1e-20)) });
  }
  return windows;
}

/** ERLE in dB over all echo windows in the span together. */
export function erleDb(echo: Float32Array, out: Float32Array, fromSeconds: number, toSeconds: number): number {
  let echoEnergy = 0;
  let outEnergy = 0;
  for (const { atSeconds } of erleWindows(echo, out, fromSeconds, toSeconds)) {
    const at = Math.round(atSeconds * SAMPLE_RATE);
    echoEnergy += energy(echo, at, at + WINDOW);
    outEnergy += energy(out, at, at + WINDOW);
  }
  return 10 * Math.log10(echoEnergy / Math.max(outEnergy, 1e-20));
}

/** Seconds from `fromSeconds` until every later echo window up to `toSeconds` reaches `targetDb`; undefined if the last does not. */
export function convergenceSeconds(echo: Float32Array, out: Float32Array, fromSeconds: number, toSeconds: number, targetDb: number): number | undefined {
  const windows = erleWindows(echo, out, fromSeconds, toSeconds);
  let converged = fromSeconds;
  for (const { atSeconds, erleDb: erle } of windows) if (erle < targetDb) converged = atSeconds + 0.1;
  const last = windows.at(-1);
  return last === undefined || converged > last.atSeconds ? undefined : converged - fromSeconds;
}

/** Level of `out` against `reference` over the reference's span from `atSeconds` (plus the canceller's few ms of latency), in dB. */
export function levelKeptDb(out: Float32Array, reference: Float32Array, atSeconds: number): number {
  const at = Math.round(atSeconds * SAMPLE_RATE);
  const latency = samplesFor(20);
  return 10 * Math.log10(energy(out, at, at + reference.length + latency) / energy(reference));
}
