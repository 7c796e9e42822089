import { fileURLToPath } from 'node:url';
import { SAMPLE_RATE } from '../../../../electron/engine/audio-format.js';
import { repeated } from '../../../support/signals.js';
import { readFixtureWav } from '../../../support/wav-fixture.js';

/**
 * A voiced-speech-like test signal: a 140 Hz fundamental with eight harmonics
 * falling 6 dB/octave, gently vibrato'd and syllable-modulated so it is not a
 * stationary tone. Deterministic.
 */
export function voicedSignal(durationMs: number, amplitude = 0.3): Float32Array {
  const n = Math.round((durationMs * SAMPLE_RATE) / 1000);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const f0 = 140 * (1 + 0.03 * Math.sin(2 * Math.PI * 3 * t));
    phase += (2 * Math.PI * f0) / SAMPLE_RATE;
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
    const syllable = 0.75 + 0.25 * Math.sin(2 * Math.PI * 4 * t);
    out[i] = (amplitude * syllable * v) / 2;
  }
  return out;
}

const FIXTURE = fileURLToPath(new URL('../../../fixtures/receive-speech-48k.wav', import.meta.url));

/** "Parley keeps every voice clear." (espeak-ng, 48 kHz mono, 1.67 s). */
export function speechFixture(): Float32Array {
  return readFixtureWav(FIXTURE);
}

/** `speech` repeated end to end until `durationMs`, cut to whole 20 ms frames. */
export function loopedSpeech(durationMs: number): Float32Array {
  const speech = speechFixture();
  const length = Math.floor(durationMs / 20) * 960;
  return repeated(speech, Math.ceil(length / speech.length)).slice(0, length);
}

/** A small seeded generator (mulberry32): the same "random" network every run. */
export { seededRandom } from '../../../support/prng.js';
