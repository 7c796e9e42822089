import FFT from 'fft.js';
import { readFileSync } from 'node:fs';
import { decodeWav } from '../../../electron/audio/wav-decode.js';
import { concatSamples } from '../../support/signals.js';

export function readWavMono(path: string): { samples: Float32Array; sampleRate: number } {
  return decodeWav(readFileSync(path));
}

function nextPowerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/** Full cross-correlation c[lag] = sum_i signal[i + lag] * reference[i], for lag >= 0, by FFT. */
function crossCorrelate(signal: Float32Array, reference: Float32Array, lags: number): Float64Array {
  const size = nextPowerOfTwo(signal.length + reference.length);
  const fft = new FFT(size);
  const a = new Float64Array(size);
  a.set(signal);
  const b = new Float64Array(size);
  b.set(reference);
  const A = fft.createComplexArray() as number[];
  const B = fft.createComplexArray() as number[];
  fft.realTransform(A, a);
  fft.completeSpectrum(A);
  fft.realTransform(B, b);
  fft.completeSpectrum(B);
  const product = fft.createComplexArray() as number[];
  for (let k = 0; k < size; k++) {
    const ar = A[2 * k]!, ai = A[2 * k + 1]!, br = B[2 * k]!, bi = -B[2 * k + 1]!;
    product[2 * k] = ar * br - ai * bi;
    product[2 * k + 1] = ar * bi + ai * br;
  }
  const result = fft.createComplexArray() as number[];
  fft.inverseTransform(result, product);
  const c = new Float64Array(lags);
  for (let lag = 0; lag < lags; lag++) c[lag] = result[2 * lag]!;
  return c;
}

/**
 * The normalised cross-correlation sum(s·r) / sqrt(sum(s²)·sum(r²)) of
 * `reference` at every lag inside `signal`, over the window the reference
 * covers; 0 where that window is near silent.
 */
function nccByLag(signal: Float32Array, reference: Float32Array): Float64Array {
  const padded = new Float32Array(Math.max(signal.length, reference.length));
  padded.set(signal);
  const lags = padded.length - reference.length + 1;
  const c = crossCorrelate(padded, reference, lags);
  let referenceEnergy = 0;
  for (const x of reference) referenceEnergy += x * x;
  const prefix = new Float64Array(padded.length + 1);
  for (let i = 0; i < padded.length; i++) prefix[i + 1] = prefix[i]! + padded[i]! * padded[i]!;
  const ncc = new Float64Array(lags);
  for (let lag = 0; lag < lags; lag++) {
    const windowEnergy = prefix[lag + reference.length]! - prefix[lag]!;
    // A near-silent window would turn rounding noise into a large ratio.
    if (windowEnergy >= 1e-3 * referenceEnergy) ncc[lag] = c[lag]! / Math.sqrt(windowEnergy * referenceEnergy);
  }
  return ncc;
}

/**
 * Finds where `reference` sits inside `signal`: the lag maximising the
 * normalised cross-correlation. 1 means an exact (scaled) copy.
 */
export function bestAlignment(signal: Float32Array, reference: Float32Array): { lag: number; ncc: number } {
  const ncc = nccByLag(signal, reference);
  let best = { lag: 0, ncc: 0 };
  for (let lag = 0; lag < ncc.length; lag++) if (ncc[lag]! > best.ncc) best = { lag, ncc: ncc[lag]! };
  return best;
}

/**
 * The first place in `signal` where `reference` correlates at least `minNcc`
 * (the best lag within a reference's length of the first one that does), or
 * undefined: for a signal that says the same thing twice, as speech may, the
 * copy that comes first rather than the one that happens to match best.
 */
export function firstAlignment(signal: Float32Array, reference: Float32Array, minNcc: number): { lag: number; ncc: number } | undefined {
  const ncc = nccByLag(signal, reference);
  const first = ncc.findIndex((value) => value >= minNcc);
  if (first < 0) return undefined;
  let best = { lag: first, ncc: ncc[first]! };
  for (let lag = first + 1; lag < Math.min(ncc.length, first + reference.length); lag++) if (ncc[lag]! > best.ncc) best = { lag, ncc: ncc[lag]! };
  return best;
}

/** Frequency of a clean tone from its interpolated upward zero crossings (least squares over all of them). */
export function toneFrequency(samples: Float32Array, sampleRate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!, b = samples[i]!;
    if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
  }
  const n = crossings.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  crossings.forEach((y, x) => {
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  });
  const samplesPerCycle = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return sampleRate / samplesPerCycle;
}

/** Signal-to-noise ratio in dB of a tone at `frequency`: the least-squares sinusoid against what is left. */
export function toneSnrDb(samples: Float32Array, frequency: number, sampleRate: number): number {
  let ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    const c = Math.cos((2 * Math.PI * frequency * i) / sampleRate);
    ss += s * s;
    sc += s * c;
    cc += c * c;
    ys += samples[i]! * s;
    yc += samples[i]! * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let signal = 0, noise = 0;
  for (let i = 0; i < samples.length; i++) {
    const fit = a * Math.sin((2 * Math.PI * frequency * i) / sampleRate) + b * Math.cos((2 * Math.PI * frequency * i) / sampleRate);
    signal += fit * fit;
    noise += (samples[i]! - fit) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

/** A WAV file as the engine would hear it: mono, 48 kHz. */
export async function readWavAt48k(path: string): Promise<Float32Array> {
  const { createResampler } = await import('../../../electron/engine/resample/resampler.js');
  const { samples, sampleRate } = readWavMono(path);
  const resampler = await createResampler(sampleRate, 48_000);
  const out = concatSamples([resampler.process(samples), resampler.flush()]);
  resampler.destroy();
  return out;
}
