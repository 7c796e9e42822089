/**
 * RFC 3550 §6.4.1 interarrival jitter: a running mean deviation of the
 * difference in transit time between consecutive packets, gain 1/16.
 * Kept in milliseconds rather than timestamp units.
 */
export class InterarrivalJitter {
  private lastTransit: number | undefined;
  private jitter = 0;

  onPacket(arrivalMs: number, mediaTimeMs: number): void {
    const transit = arrivalMs - mediaTimeMs;
    if (this.lastTransit !== undefined) {
      const d = Math.abs(transit - this.lastTransit);
      this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
  }

  get ms(): number {
    return this.jitter;
  }
}
