import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * How late a process's event loop ran a timer due every `resolutionMs`: a
 * stall delays everything queued behind it. Node's histogram records the
 * whole interval between firings, so the resolution is subtracted to leave
 * the lateness alone.
 */
export class LoopDelay {
  private readonly histogram: IntervalHistogram;

  constructor(private readonly resolutionMs: number) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  enable(): void {
    this.histogram.enable();
  }

  disable(): void {
    this.histogram.disable();
  }

  p99Ms(): number {
    return this.lateness(this.histogram.percentile(99));
  }

  maxMs(): number {
    return this.lateness(this.histogram.max);
  }

  private lateness(intervalNs: number): number {
    if (this.histogram.count === 0) return 0;
    return Number(Math.max(0, intervalNs / 1e6 - this.resolutionMs).toFixed(2));
  }
}
