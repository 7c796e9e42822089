import { BLOCK_SAMPLES } from '../audio-format.js';

/**
 * The last few conditioned blocks from before the voice gate opened. The
 * detector needs a couple of loud blocks to be sure, and soft consonants
 * come before the loud vowel; sending these with the first frame means the
 * onset is not clipped, at no added latency (they were already captured).
 */
export class PreRoll {
  private readonly blocks: Float32Array[];
  private newest = -1;
  private held = 0;

  constructor(readonly capacity: number) {
    this.blocks = Array.from({ length: capacity }, () => new Float32Array(BLOCK_SAMPLES));
  }

  get count(): number {
    return this.held;
  }

  push(block: Float32Array): void {
    if (this.capacity === 0) return;
    this.newest = (this.newest + 1) % this.capacity;
    this.blocks[this.newest]!.set(block);
    this.held = Math.min(this.held + 1, this.capacity);
  }

  /** Oldest first; the i-th block is returned as a reused array, valid until the next push. */
  block(i: number): Float32Array {
    if (!(i >= 0 && i < this.held)) throw new RangeError(`pre-roll holds ${this.held} blocks, not block ${i}`);
    return this.blocks[(this.newest - this.held + 1 + i + this.capacity) % this.capacity]!;
  }

  clear(): void {
    this.held = 0;
  }
}
