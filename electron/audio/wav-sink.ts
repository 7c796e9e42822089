import { open, type FileHandle } from 'node:fs/promises';
import wavefile from 'wavefile';
import type { Clock } from '../../server/shared/clock.js';
import { BLOCK_MS, BLOCK_SAMPLES, SAMPLE_RATE, floatToInt16 } from '../engine/audio-format.js';
import { BlockClock, type Pacing } from './block-clock.js';
import { deviceError } from './device-error.js';
import { FileEndpoint } from './file-endpoint.js';
import { fileError } from './file-error.js';
import type { AudioOutput } from './types.js';

export interface WavSinkOptions {
  readonly path: string;
  /** Default 'realtime' (behaves like a speaker); 'fast' for tests and benchmarks. */
  readonly pacing?: Pacing;
  /** Stop by itself (emitting 'end') after this much audio. */
  readonly maxDurationMs?: number;
  readonly clock?: Clock;
}

/** Blocks gathered before each write to disk (1 s of audio). */
const BLOCKS_PER_WRITE = 100;

/**
 * Records what the engine plays into a 16-bit mono 48 kHz WAV file, pulling
 * 10 ms blocks like a speaker would. Audio goes to disk as it comes, so a
 * crash loses at most the last second; stop() completes the header.
 */
export class WavFileSink extends FileEndpoint implements AudioOutput {
  readonly bufferedMs = 0;
  readonly acoustic: boolean = false;
  private file: FileHandle | undefined;
  private blockClock: BlockClock | undefined;
  private pending: Int16Array[] = [];
  private dataBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(private readonly options: WavSinkOptions) {
    super(options.path);
  }

  /**
   * Creates the file now, so a path that cannot be written is known before
   * anything depends on it (before joining a room); start() then records into
   * it. Rejects with an AudioDeviceError.
   */
  async prepare(): Promise<void> {
    if (this.file) return;
    let file: FileHandle | undefined;
    try {
      file = await open(this.options.path, 'w');
      await file.write(header(0));
    } catch (error) {
      await file?.close();
      throw fileError(this.options.path, error);
    }
    this.file = file;
  }

  /** Creates the file unless prepare() has, then pulls a block every 10 ms. */
  async start(pull: () => Float32Array): Promise<void> {
    if (this.blockClock) throw new Error('WAV sink already started');
    await this.prepare();
    const limit = this.options.maxDurationMs === undefined ? Infinity : Math.ceil(this.options.maxDurationMs / BLOCK_MS);
    let blocks = 0;
    this.blockClock = new BlockClock(
      this.options.pacing ?? 'realtime',
      () => {
        this.pending.push(floatToInt16(this.pullBlock(pull)));
        if (this.pending.length >= BLOCKS_PER_WRITE) this.writePending();
        if (++blocks < limit) return true;
        this.emit('end');
        return false;
      },
      this.options.clock,
    );
    this.blockClock.start();
  }

  /** Writes what is left, completes the header and closes the file. */
  async stop(): Promise<void> {
    this.blockClock?.stop();
    this.blockClock = undefined;
    const file = this.file;
    if (!file) return;
    this.file = undefined;
    this.writePending(file);
    await this.writing;
    try {
      await file.write(header(this.dataBytes), 0, undefined, 0);
    } catch (error) {
      this.reportWriteFailure(error);
    } finally {
      await file.close();
    }
  }

  private pullBlock(pull: () => Float32Array): Float32Array {
    try {
      const block = pull();
      if (block.length === BLOCK_SAMPLES) return block;
      throw new RangeError(`pull() returned ${block.length} samples, expected ${BLOCK_SAMPLES}`);
    } catch (error) {
      this.report(deviceError('unknown', 'Audio file', this.description, error));
      return new Float32Array(BLOCK_SAMPLES);
    }
  }

  private writePending(file = this.file): void {
    if (!file || this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending.map((samples) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)));
    this.pending = [];
    this.dataBytes += chunk.byteLength;
    this.writing = this.writing.then(async () => {
      try {
        await file.write(chunk);
      } catch (error) {
        this.reportWriteFailure(error);
      }
    });
  }

  private reportWriteFailure(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.report(fileError(this.options.path, error));
  }
}

/** The 44-byte header of a 16-bit mono 48 kHz WAV holding `dataBytes` of samples. */
function header(dataBytes: number): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, SAMPLE_RATE, '16', []);
  const bytes = wav.toBuffer();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // wavefile writes whole files only; a streamed file gets its two sizes filled in at the end.
  view.setUint32(4, 36 + dataBytes, true);
  view.setUint32(40, dataBytes, true);
  return bytes;
}
