/**
 * Noises to mix with speech: seeded white noise (by peak amplitude or by
 * RMS level), brown noise (a fan's rumble) and babble made from the speech
 * itself. All deterministic, so a suppressor's output replays exactly.
 */
import { SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import { dbToGain, meanSquare, powerToDb } from '../../electron/engine/dsp/decibels.js';
import { seededRandom } from './prng.js';

/** Deterministic white noise (a fixed-seed LCG), uniform in ±amplitude, `seconds` long. */
export function noise(seconds: number, amplitude: number, seed = 1): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = amplitude * (state / 0x8000_0000 - 1);
  }
  return out;
}

/** Uniform white noise at `dbfs` RMS, `length` samples long (mulberry32, so not the same samples as `noise`). */
export function whiteNoise(length: number, dbfs: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  // A uniform variable in ±a has RMS a/√3.
  const amplitude = dbToGain(dbfs) * Math.sqrt(3);
  return Float32Array.from({ length }, () => amplitude * (2 * random() - 1));
}

/** Brown noise (−6 dB per octave from 10 Hz up) at `dbfs` RMS: white noise through a leaky integrator. */
export function brownNoise(length: number, dbfs: number, seed: number): Float32Array {
  const white = whiteNoise(length, 0, seed);
  const leak = 1 - (2 * Math.PI * 10) / SAMPLE_RATE;
  let level = 0;
  return scaledTo(white.map((sample) => (level = leak * level + sample)), dbfs);
}

/**
 * Babble at `dbfs` RMS: `voices` copies of the speech, each resampled by its
 * own ratio between 0.85 and 1.15 (pitch and pace both shift) and started at
 * its own point, looping.
 */
export function babble(speech: Float32Array, length: number, dbfs: number, voices = 6): Float32Array {
  if (voices < 2) throw new Error(`babble needs at least two voices; got ${voices}`);
  const out = new Float32Array(length);
  for (let voice = 0; voice < voices; voice++) {
    const ratio = 0.85 + (0.3 * voice) / (voices - 1);
    const offset = Math.round((voice + 1) * 0.77 * SAMPLE_RATE);
    for (let i = 0; i < length; i++) {
      const at = ((i + offset) * ratio) % (speech.length - 1);
      const whole = Math.floor(at);
      const fraction = at - whole;
      out[i]! += speech[whole]! * (1 - fraction) + speech[whole + 1]! * fraction;
    }
  }
  return scaledTo(out, dbfs);
}

export function scaledTo(signal: Float32Array, dbfs: number): Float32Array {
  const gain = dbToGain(dbfs - powerToDb(meanSquare(signal)));
  return signal.map((sample) => sample * gain);
}
