import { EventEmitter } from 'node:events';
import type { AudioDeviceError, AudioInput, AudioOutput } from '../../electron/audio/types.js';
import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { concatSamples } from './signals.js';

/**
 * A microphone for a simulated clock: it delivers the next 10 ms block of
 * `samples` (silence after their end) only when the test calls tick(), so
 * capture happens exactly when the test's time says.
 */
export class TickedMicrophone extends EventEmitter implements AudioInput {
  readonly description = 'ticked microphone';
  private onBlock: ((block: Float32Array) => void) | undefined;
  private next = 0;

  constructor(private readonly samples: Float32Array) {
    super();
  }

  async start(onBlock: (block: Float32Array) => void): Promise<void> {
    this.onBlock = onBlock;
  }

  async stop(): Promise<void> {
    this.onBlock = undefined;
  }

  tick(): void {
    const block = new Float32Array(BLOCK_SAMPLES);
    block.set(this.samples.subarray(this.next * BLOCK_SAMPLES, (this.next + 1) * BLOCK_SAMPLES));
    this.next++;
    this.onBlock?.(block);
  }

  override on(event: 'error', listener: (error: AudioDeviceError) => void): this {
    return super.on(event, listener);
  }
}

/** A speaker for a simulated clock: it pulls one 10 ms block when the test calls tick(), and keeps what it played. */
export class TickedSpeaker extends EventEmitter implements AudioOutput {
  readonly description = 'ticked speaker';
  readonly bufferedMs = 0;
  readonly acoustic = false;
  private pull: (() => Float32Array) | undefined;
  private readonly played: Float32Array[] = [];

  async start(pull: () => Float32Array): Promise<void> {
    this.pull = pull;
  }

  async stop(): Promise<void> {
    this.pull = undefined;
  }

  tick(): void {
    if (this.pull) this.played.push(this.pull().slice());
  }

  /** Everything played so far, block after block. */
  get recording(): Float32Array {
    return concatSamples(this.played);
  }

  override on(event: 'error', listener: (error: AudioDeviceError) => void): this {
    return super.on(event, listener);
  }
}
