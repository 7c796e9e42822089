import { once, type EventEmitter } from 'node:events';
import { concatSamples } from '../../support/signals.js';

/** The arguments of the next `event`, or a rejection naming what never came. */
export async function nextEvent<T extends unknown[]>(emitter: EventEmitter, event: string, timeoutMs: number): Promise<T> {
  try {
    return (await once(emitter, event, { signal: AbortSignal.timeout(timeoutMs) })) as T;
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw new Error(`no '${event}' event within ${timeoutMs} ms`, { cause: error });
    throw error;
  }
}

/** Collects 10 ms blocks and lets a test wait until a number of them has arrived. */
export class BlockCollector {
  readonly blocks: Float32Array[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly push = (block: Float32Array): void => {
    this.blocks.push(block);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.blocks.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  };

  /** Resolves once `more` blocks beyond those already collected have arrived. */
  async waitForMore(more: number, timeoutMs: number): Promise<void> {
    const count = this.blocks.length + more;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.blocks.length} of ${count} blocks within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  joined(from = 0): Float32Array {
    return concatSamples(this.blocks.slice(from));
  }
}
