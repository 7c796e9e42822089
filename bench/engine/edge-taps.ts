import type { AudioDeviceError, AudioInput, AudioOutput } from '../../electron/audio/index.js';
import { systemClock, type Clock } from '../../server/shared/clock.js';

/**
 * Wrappers that note, on the clock the engine itself uses (performance.now,
 * or the test's simulated clock), the moment each 10 ms block crosses the
 * engine's edge: when the input hands a block to the engine, and when the
 * engine hands a block to the output. What a device adds beyond that edge
 * (its own buffers) is not counted.
 */
export class TimedInput implements AudioInput {
  /** Delivery time of block n, in ms. */
  readonly times: number[] = [];

  constructor(
    private readonly inner: AudioInput,
    private readonly clock: Clock = systemClock,
  ) {}

  get description(): string {
    return this.inner.description;
  }

  start(onBlock: (block: Float32Array) => void, onEnd?: () => void): Promise<void> {
    return this.inner.start((block) => {
      this.times.push(this.clock.now());
      onBlock(block);
    }, onEnd);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  on(event: 'error', listener: (error: AudioDeviceError) => void): this {
    this.inner.on(event, listener);
    return this;
  }
}

export class TimedOutput implements AudioOutput {
  /** Hand-over time of block n, in ms, and the block itself. */
  readonly times: number[] = [];
  readonly blocks: Float32Array[] = [];

  constructor(
    private readonly inner: AudioOutput,
    private readonly clock: Clock = systemClock,
  ) {}

  get description(): string {
    return this.inner.description;
  }

  get acoustic(): boolean {
    return this.inner.acoustic;
  }

  get bufferedMs(): number {
    return this.inner.bufferedMs;
  }

  start(pull: () => Float32Array): Promise<void> {
    return this.inner.start(() => {
      const block = pull();
      this.times.push(this.clock.now());
      this.blocks.push(block.slice());
      return block;
    });
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  on(event: 'error', listener: (error: AudioDeviceError) => void): this {
    this.inner.on(event, listener);
    return this;
  }
}
