import { systemClock, type Clock } from '../../server/shared/clock.js';
import { BLOCK_MS } from '../engine/audio-format.js';

/** 'realtime': one block every 10 ms of the clock. 'fast': as fast as the consumer takes them. */
export type Pacing = 'realtime' | 'fast';

/** Blocks run per event-loop turn when fast, so timers and I/O still get their turn. */
const FAST_BATCH = 64;

/**
 * Calls `tick` once per 10 ms block until it returns false or stop() is
 * called. Real-time ticks are scheduled against the start time (block n is
 * due at start + n * 10 ms), so timer lateness never accumulates into drift;
 * a late wake-up runs every block that has fallen due.
 */
export class BlockClock {
  private running = false;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private startMs = 0;
  private ticks = 0;

  constructor(
    private readonly pacing: Pacing,
    private readonly tick: () => boolean,
    private readonly clock: Clock = systemClock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startMs = this.clock.now();
    this.ticks = 0;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer === undefined) return;
    if (this.pacing === 'fast') clearImmediate(this.timer as NodeJS.Immediate);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = this.pacing === 'fast' ? setImmediate(() => this.run()) : setTimeout(() => this.run(), Math.max(0, delayMs));
  }

  private run(): void {
    this.timer = undefined;
    let budget = this.pacing === 'fast' ? FAST_BATCH : Infinity;
    while (this.running && budget-- > 0 && (this.pacing === 'fast' || this.dueMs(this.ticks) <= this.clock.now())) {
      this.ticks++;
      if (!this.tick()) this.running = false;
    }
    if (this.running) this.schedule(this.dueMs(this.ticks) - this.clock.now());
  }

  private dueMs(tick: number): number {
    return this.startMs + tick * BLOCK_MS;
  }
}
