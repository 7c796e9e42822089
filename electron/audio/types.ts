import type { AudioDeviceError } from './device-error.js';

export { AudioDeviceError, type AudioDeviceErrorCode } from './device-error.js';

/**
 * Delivers microphone audio as 10 ms blocks: mono, 48 kHz, Float32 in [-1, 1],
 * BLOCK_SAMPLES long. A block handed to `onBlock` belongs to the receiver.
 * `onEnd` runs once if the source runs out of audio (a WAV file played to its
 * end); a device never ends: it recovers, or reports 'error'.
 */
export interface AudioInput {
  start(onBlock: (block: Float32Array) => void, onEnd?: () => void): Promise<void>;
  stop(): Promise<void>;
  /** What is being captured, for people: a device name or a file path. */
  readonly description: string;
  /** Device trouble is reported here, never thrown from a callback. */
  on(event: 'error', listener: (error: AudioDeviceError) => void): this;
}

/**
 * Device-paced playout: the adapter PULLS a 10 ms block (mono, 48 kHz,
 * BLOCK_SAMPLES long) each time the device has room for one.
 */
export interface AudioOutput {
  start(pull: () => Float32Array): Promise<void>;
  stop(): Promise<void>;
  /** Audio queued toward the device right now, in milliseconds (the edge's share of latency). */
  readonly bufferedMs: number;
  /**
   * Whether what it plays can reach a microphone: a speaker can, a file
   * cannot. Only an acoustic output needs the echo canceller.
   */
  readonly acoustic: boolean;
  readonly description: string;
  on(event: 'error', listener: (error: AudioDeviceError) => void): this;
}
