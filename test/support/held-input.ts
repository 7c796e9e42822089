import { EventEmitter } from 'node:events';
import type { AudioInput } from '../../electron/audio/index.js';
import type { WavFileSource } from '../../electron/audio/index.js';

/**
 * A microphone that joins a room silent and starts playing its WAV source
 * only when released: several talkers can then join one after another (work
 * that would stall the event loop under a talker already streaming) and all
 * start at one moment.
 */
export class HeldInput extends EventEmitter implements AudioInput {
  private consumer: { onBlock: (block: Float32Array) => void; onEnd: (() => void) | undefined } | undefined;

  constructor(private readonly source: WavFileSource) {
    super();
    source.on('error', (error) => this.emit('error', error));
  }

  get description(): string {
    return this.source.description;
  }

  /** Takes note of where blocks go; nothing is delivered before release(). */
  async start(onBlock: (block: Float32Array) => void, onEnd?: () => void): Promise<void> {
    this.consumer = { onBlock, onEnd };
  }

  /** Starts the source, feeding whoever started this input. */
  async release(): Promise<void> {
    if (!this.consumer) throw new Error('HeldInput released before it was started');
    await this.source.start(this.consumer.onBlock, this.consumer.onEnd);
  }

  async stop(): Promise<void> {
    this.consumer = undefined;
    await this.source.stop();
  }
}
