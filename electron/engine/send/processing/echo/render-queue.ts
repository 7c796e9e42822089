import { BLOCK_SAMPLES } from '../../../audio-format.js';
import { SlidingMinimum } from '../../../dsp/sliding-minimum.js';

/** Far-end blocks held at most: bursts from the output side are far shorter. */
const CAPACITY_BLOCKS = 32;
/** Capture ticks over which the queue's standing depth is judged (1 s). */
const STANDING_WINDOW_TICKS = 100;
/** A depth the queue never fell below for a whole window is latency, not jitter: one block of it is dropped. */
const STANDING_EXCESS_BLOCKS = 2;

/**
 * Paces the far-end reference to capture: blocks arrive as the output side
 * hands them over, possibly several at once, and leave one per capture block.
 * Every block waiting here makes the echo look earlier to the canceller, and
 * an echo that comes before its reference cannot be cancelled; so a standing
 * queue (one that never emptied for a second: the output clock running ahead
 * of capture, or a stall) is trimmed a block at a time, while burst jitter
 * stays. Copies in, allocates nothing after construction.
 */
export class RenderQueue {
  private readonly blocks = Array.from({ length: CAPACITY_BLOCKS }, () => new Float32Array(BLOCK_SAMPLES));
  private head = 0;
  private count = 0;
  private tick = 0;
  private windowStart = 0;
  private readonly depth = new SlidingMinimum(STANDING_WINDOW_TICKS, STANDING_WINDOW_TICKS + 1);
  /** Blocks forgotten to keep the queue short. */
  dropped = 0;

  get size(): number {
    return this.count;
  }

  push(block: Float32Array): void {
    if (block.length !== BLOCK_SAMPLES) throw new RangeError(`far-end block has ${block.length} samples, expected ${BLOCK_SAMPLES}`);
    if (this.count === CAPACITY_BLOCKS) this.dropOldest();
    this.blocks[(this.head + this.count) % CAPACITY_BLOCKS]!.set(block);
    this.count++;
  }

  /** The far-end block for this capture block, or undefined when none has come; valid until the next push. */
  next(): Float32Array | undefined {
    this.tick++;
    const standing = this.depth.push(this.tick, this.count);
    if (this.tick - this.windowStart >= STANDING_WINDOW_TICKS && standing >= STANDING_EXCESS_BLOCKS) {
      this.dropOldest();
      this.depth.reset();
      this.windowStart = this.tick;
    }
    if (this.count === 0) return undefined;
    const block = this.blocks[this.head]!;
    this.head = (this.head + 1) % CAPACITY_BLOCKS;
    this.count--;
    return block;
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % CAPACITY_BLOCKS;
    this.count--;
    this.dropped++;
  }
}
