import { BLOCK_SAMPLES } from '../engine/audio-format.js';

/**
 * Cuts a stream of pieces of any length (device chunks, resampler output)
 * into the engine's fixed 10 ms blocks. Holds at most one block's worth.
 */
export class BlockAssembler {
  private pending = new Float32Array(BLOCK_SAMPLES);
  private filled = 0;

  constructor(private readonly emit: (block: Float32Array) => void) {}

  push(samples: Float32Array): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(BLOCK_SAMPLES - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === BLOCK_SAMPLES) {
        const block = this.pending;
        this.pending = new Float32Array(BLOCK_SAMPLES);
        this.filled = 0;
        this.emit(block);
      }
    }
  }

  /** Emits what is held, padded with silence to a whole block; nothing if empty. */
  flush(): void {
    if (this.filled === 0) return;
    const block = this.pending;
    this.pending = new Float32Array(BLOCK_SAMPLES);
    this.filled = 0;
    this.emit(block);
  }

  /** Drops what is held (a stream restarted; a partial block from before would be out of place). */
  reset(): void {
    this.pending.fill(0);
    this.filled = 0;
  }
}
