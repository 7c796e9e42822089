import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wavefile from 'wavefile';
import { int16ToFloat, SAMPLE_RATE } from '../../../electron/engine/audio-format.js';

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
