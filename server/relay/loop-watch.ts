import type { TimerHandle, Timers } from '../shared/timers.js';

/** How often the watch's timer is due: the lag it measures is how late each tick runs. */
export const LOOP_WATCH_TICK_MS = 250;
/**
 * How long one stall keeps the relay reported as stalled. Longer than a probe's period (10 s in
 * deploy/), so each stall is seen by at least one probe; shorter than its failure threshold times
 * the period, so one stall alone never gets the relay restarted, while stalls that keep coming do.
 */
export const STALL_MEMORY_MS = 10_000;

export interface LoopLag {
  /** The worst lag within the last STALL_MEMORY_MS, or how overdue the next tick is now if that is worse. */
  lagMs: number;
  stalled: boolean;
}

/**
 * Watches the event loop with a timer: a tick that runs late means the loop
 * was busy (a long computation, a blocked call) and every socket waited as
 * long. Node's perf_hooks histogram would say the same but only on the
 * system clock; a timer on `Timers` runs on a simulated clock in tests.
 */
export class EventLoopWatch {
  private expectedAt = 0;
  private worstLagMs = 0;
  private worstAt = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly maxLagMs: number,
    private readonly timers: Timers,
  ) {}

  start(): void {
    if (this.timer) return;
    this.schedule();
  }

  stop(): void {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Between ticks too: a request served right after a stall, before the late tick runs, still sees it. */
  lag(): LoopLag {
    const now = this.timers.now();
    const remembered = now - this.worstAt <= STALL_MEMORY_MS ? this.worstLagMs : 0;
    const lagMs = Math.max(remembered, this.overdue(now));
    return { lagMs, stalled: lagMs > this.maxLagMs };
  }

  private schedule(): void {
    this.expectedAt = this.timers.now() + LOOP_WATCH_TICK_MS;
    this.timer = this.timers.setTimeout(() => this.tick(), LOOP_WATCH_TICK_MS);
  }

  private tick(): void {
    const now = this.timers.now();
    const lagMs = this.overdue(now);
    if (lagMs >= this.worstLagMs || now - this.worstAt > STALL_MEMORY_MS) {
      this.worstLagMs = lagMs;
      this.worstAt = now;
    }
    this.schedule();
  }

  private overdue(now: number): number {
    return this.timer ? Math.max(0, Math.round(now - this.expectedAt)) : 0;
  }
}
