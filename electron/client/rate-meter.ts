import type { Clock } from '../../server/shared/clock.js';

/**
 * Bytes per second over the last `windowMs`, for "kbit/s" displays (ours sent, each peer's received):
 * bytes are added in one-second buckets, so memory stays constant.
 */
export class RateMeter {
  private readonly buckets: { second: number; bytes: number }[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 3_000,
  ) {}

  add(bytes: number): void {
    const second = Math.floor(this.clock.now() / 1000);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.second === second) last.bytes += bytes;
    else this.buckets.push({ second, bytes });
    this.trim(second);
  }

  /** Kilobits per second over the window (payload bytes only). */
  kbps(): number {
    const now = this.clock.now();
    this.trim(Math.floor(now / 1000));
    const bytes = this.buckets.reduce((sum, b) => sum + b.bytes, 0);
    return Math.round(((bytes * 8) / this.windowMs) * 10) / 10;
  }

  private trim(currentSecond: number): void {
    const oldest = currentSecond - Math.ceil(this.windowMs / 1000) + 1;
    while (this.buckets.length > 0 && this.buckets[0]!.second < oldest) this.buckets.shift();
  }
}
