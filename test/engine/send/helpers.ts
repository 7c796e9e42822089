import { fileURLToPath } from 'node:url';
import { readFixtureWav } from '../../support/wav-fixture.js';

/**
 * Real speech: two espeak-ng sentences ("Hello, this is Parley." / "The quick
 * brown fox jumps over the lazy dog.") with 0.4 s before, 0.8 s between and
 * 0.6 s after, peak-normalised to −3 dBFS, over white noise at −65 dBFS RMS
 * like a quiet microphone. Made with espeak-ng and sox at 48 kHz mono 16-bit.
 */
export const SPEECH_WAV = fileURLToPath(new URL('./fixtures/speech-48k.wav', import.meta.url));

export function loadSpeech(): Float32Array {
  return readFixtureWav(SPEECH_WAV);
}
