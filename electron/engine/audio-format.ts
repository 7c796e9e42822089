/**
 * The one audio format inside the engine: mono, 48 kHz, Float32 samples in
 * [-1, 1]. Devices and files convert at the edges; Opus runs natively at this
 * rate, so nothing in between ever resamples.
 */
export const SAMPLE_RATE = 48_000;

/** Samples per millisecond at SAMPLE_RATE. */
export const SAMPLES_PER_MS = SAMPLE_RATE / 1000;

/** Device buffers and the playout clock tick in 10 ms blocks. */
export const BLOCK_MS = 10;
export const BLOCK_SAMPLES = BLOCK_MS * SAMPLES_PER_MS;

/** Opus frame sizes Parley offers; 20 ms is the default. */
export type FrameMs = 10 | 20 | 40;
export const FRAME_SIZES_MS: readonly FrameMs[] = [10, 20, 40];

export function samplesFor(ms: number): number {
  return Math.round(ms * SAMPLES_PER_MS);
}

export function int16ToFloat(input: Int16Array, output = new Float32Array(input.length)): Float32Array {
  for (let i = 0; i < input.length; i++) output[i] = input[i]! / 32768;
  return output;
}

/** Converts with saturation: a sample past full scale clips, it never wraps round. */
export function floatToInt16(input: Float32Array, output = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) {
    const scaled = Math.round(input[i]! * 32768);
    output[i] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
  }
  return output;
}
