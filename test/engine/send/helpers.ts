import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wavefile from 'wavefile';
import { concatSamples } from '../../audio/helpers/signal.js';
import { BLOCK_SAMPLES, int16ToFloat, SAMPLE_RATE } from '../../../electron/engine/audio-format.js';

/**
 * Real speech: two espeak-ng sentences ("Hello, this is Parley." / "The quick
 * brown fox jumps over the lazy dog.") with 0.4 s before, 0.8 s between and
 * 0.6 s after, peak-normalised to −3 dBFS, over white noise at −65 dBFS RMS
 * like a quiet microphone. Made with espeak-ng and sox at 48 kHz mono 16-bit.
 */
export const SPEECH_WAV = fileURLToPath(new URL('./fixtures/speech-48k.wav', import.meta.url));

export function loadSpeech(): Float32Array {
  const wav = new wavefile.WaveFile(readFileSync(SPEECH_WAV));
  const format = wav.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number };
  if (format.numChannels !== 1 || format.sampleRate !== SAMPLE_RATE || format.bitsPerSample !== 16) {
    throw new Error(`${SPEECH_WAV} must be 48 kHz mono 16-bit`);
  }
  return int16ToFloat(wav.getSamples(false, Int16Array) as unknown as Int16Array);
}

/** Cuts a signal into whole 10 ms blocks (a trailing partial block is dropped). */
export function blocksOf(signal: Float32Array): Float32Array[] {
  const blocks: Float32Array[] = [];
  for (let at = 0; at + BLOCK_SAMPLES <= signal.length; at += BLOCK_SAMPLES) blocks.push(signal.slice(at, at + BLOCK_SAMPLES));
  return blocks;
}

export function sine(frequencyHz: number, seconds: number, amplitude: number, startSample = 0): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * (startSample + i)) / SAMPLE_RATE);
  return out;
}

export function silence(seconds: number): Float32Array {
  return new Float32Array(Math.round(seconds * SAMPLE_RATE));
}

/** Deterministic white noise (a fixed-seed LCG), uniform in ±amplitude. */
export function noise(seconds: number, amplitude: number, seed = 1): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = amplitude * (state / 0x8000_0000 - 1);
  }
  return out;
}

/** The pieces back to back. */
export function concat(...parts: Float32Array[]): Float32Array {
  return concatSamples(parts);
}

export function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}
