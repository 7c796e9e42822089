import { floatToInt16 } from '../engine/audio-format.js';

/**
 * Conversions between a device's interleaved 16-bit frames and the engine's
 * mono Float32 samples. The device side may have any channel count.
 */

/** Averages the channels of each frame; a trailing partial frame is ignored. */
export function downmixInt16(interleaved: Int16Array, channels: number): Float32Array {
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Float32Array(frames);
  const scale = 1 / (32768 * channels);
  for (let frame = 0, i = 0; frame < frames; frame++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i++]!;
    mono[frame] = sum * scale;
  }
  return mono;
}

/** Copies each mono sample to every channel, clipping past full scale rather than wrapping. */
export function upmixToInt16(mono: Float32Array, channels: number): Int16Array {
  const samples = floatToInt16(mono);
  if (channels === 1) return samples;
  const interleaved = new Int16Array(samples.length * channels);
  for (let frame = 0, i = 0; frame < samples.length; frame++) {
    for (let c = 0; c < channels; c++) interleaved[i++] = samples[frame]!;
  }
  return interleaved;
}

/** Views a little-endian 16-bit PCM byte buffer as samples, copying only if it is misaligned. */
export function int16View(bytes: Uint8Array): Int16Array {
  const usable = bytes.byteLength - (bytes.byteLength % 2);
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, usable / 2);
  return new Int16Array(bytes.slice(0, usable).buffer);
}
