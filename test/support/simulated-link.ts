/** The shape of one direction of a simulated datagram link. */
export interface LinkShape {
  lossPct: number;
  duplicatePct: number;
  delayMs: number;
  /** Uniform extra delay in [0, jitterMs): more than the gap between sends reorders. */
  jitterMs: number;
}

export const CLEAN_LINK: LinkShape = { lossPct: 0, duplicatePct: 0, delayMs: 20, jitterMs: 0 };

/**
 * One direction of a datagram link on a simulated clock: what is carried is a
 * callback, run when its datagram would arrive, or never if it is lost. Loss,
 * duplication and delay come from the seeded `random`, so a run replays.
 */
export class SimulatedLink {
  private readonly inTransit: { at: number; order: number; deliver: () => void }[] = [];
  private sent = 0;

  constructor(
    private readonly shape: LinkShape,
    private readonly random: () => number,
  ) {}

  carry(nowMs: number, deliver: () => void): void {
    const copies = this.random() * 100 < this.shape.duplicatePct ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (this.random() * 100 < this.shape.lossPct) continue;
      this.inTransit.push({ at: nowMs + this.shape.delayMs + Math.floor(this.random() * this.shape.jitterMs), order: this.sent++, deliver });
    }
  }

  /** Runs, in arrival order, everything due by `nowMs`. */
  deliverDue(nowMs: number): void {
    const due = this.inTransit.filter((p) => p.at <= nowMs).sort((a, b) => a.at - b.at || a.order - b.order);
    for (const p of due) this.inTransit.splice(this.inTransit.indexOf(p), 1);
    for (const p of due) p.deliver();
  }
}
