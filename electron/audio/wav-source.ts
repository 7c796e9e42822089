import { readFile } from 'node:fs/promises';
import type { Clock } from '../../server/shared/clock.js';
import { BLOCK_SAMPLES, SAMPLE_RATE, samplesFor } from '../engine/audio-format.js';
import { createResampler } from '../engine/resample/resampler.js';
import { BlockClock, type Pacing } from './block-clock.js';
import { AudioDeviceError, deviceError } from './device-error.js';
import { FileEndpoint } from './file-endpoint.js';
import { fileError } from './file-error.js';
import type { AudioInput } from './types.js';
import { decodeWav } from './wav-decode.js';

export interface WavSourceOptions {
  readonly path: string;
  /** Default 'realtime' (behaves like a microphone); 'fast' for tests and benchmarks. */
  readonly pacing?: Pacing;
  /** Start again from the beginning after the end, instead of ending. */
  readonly loop?: boolean;
  readonly leadingSilenceMs?: number;
  readonly trailingSilenceMs?: number;
  readonly clock?: Clock;
}

/**
 * Plays a PCM WAV file as if it were a microphone: mono 48 kHz 10 ms blocks,
 * converted from whatever the file holds. The last block is padded with
 * silence. Emits 'end' after the last block unless looping.
 */
export class WavFileSource extends FileEndpoint implements AudioInput {
  private blockClock: BlockClock | undefined;
  private audio: Promise<Float32Array> | undefined;

  constructor(private readonly options: WavSourceOptions) {
    super(options.path);
  }

  /**
   * Reads and converts the whole file now, so a file that cannot be played
   * is known before anything depends on it (before joining a room); start()
   * then plays it at once. Rejects with an AudioDeviceError.
   */
  async prepare(): Promise<void> {
    this.audio ??= this.load();
    await this.audio;
  }

  /** Reads and converts the whole file unless prepare() has; rejects with an AudioDeviceError if it cannot. */
  async start(onBlock: (block: Float32Array) => void, onEnd?: () => void): Promise<void> {
    if (this.blockClock) throw new Error('WAV source already started');
    this.audio ??= this.load();
    const audio = await this.audio;
    const blocks = Math.ceil(audio.length / BLOCK_SAMPLES);
    let next = 0;
    this.blockClock = new BlockClock(
      this.options.pacing ?? 'realtime',
      () => {
        if (next === blocks) {
          if (!this.options.loop || blocks === 0) return this.finish(onEnd);
          next = 0;
        }
        const block = new Float32Array(BLOCK_SAMPLES);
        block.set(audio.subarray(next * BLOCK_SAMPLES, (next + 1) * BLOCK_SAMPLES));
        next++;
        this.deliver(onBlock, block);
        if (next === blocks && !this.options.loop) return this.finish(onEnd);
        return true;
      },
      this.options.clock,
    );
    this.blockClock.start();
  }

  async stop(): Promise<void> {
    this.blockClock?.stop();
    this.blockClock = undefined;
  }

  private finish(onEnd: (() => void) | undefined): false {
    this.blockClock = undefined;
    onEnd?.();
    this.emit('end');
    return false;
  }

  private deliver(onBlock: (block: Float32Array) => void, block: Float32Array): void {
    try {
      onBlock(block);
    } catch (error) {
      this.report(deviceError('unknown', 'Audio file', this.description, error));
    }
  }

  private async load(): Promise<Float32Array> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.options.path);
    } catch (error) {
      throw fileError(this.options.path, error);
    }
    let decoded;
    try {
      decoded = decodeWav(bytes);
    } catch (error) {
      throw new AudioDeviceError('formatUnsupported', `Audio file "${this.options.path}" cannot be played: ${(error as Error).message}.`, {
        cause: error,
      });
    }
    const resampler = await createResampler(decoded.sampleRate, SAMPLE_RATE);
    const converted = resampler.process(decoded.samples);
    const tail = resampler.flush();
    resampler.destroy();
    const lead = samplesFor(this.options.leadingSilenceMs ?? 0);
    const trail = samplesFor(this.options.trailingSilenceMs ?? 0);
    const audio = new Float32Array(lead + converted.length + tail.length + trail);
    audio.set(converted, lead);
    audio.set(tail, lead + converted.length);
    return audio;
  }
}
