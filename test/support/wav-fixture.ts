import { readFileSync } from 'node:fs';
import wavefile from 'wavefile';
import { int16ToFloat, SAMPLE_RATE } from '../../electron/engine/audio-format.js';

/** A recorded fixture as the engine hears it; only 48 kHz mono 16-bit is taken, so nothing is resampled or mixed down behind a test's back. */
export function readFixtureWav(path: string): Float32Array {
  const wav = new wavefile.WaveFile(readFileSync(path));
  const format = wav.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number };
  if (format.numChannels !== 1 || format.sampleRate !== SAMPLE_RATE || format.bitsPerSample !== 16) {
    throw new Error(`${path} must be 48 kHz mono 16-bit`);
  }
  return int16ToFloat(wav.getSamples(false, Int16Array) as unknown as Int16Array);
}
