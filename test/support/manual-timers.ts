import type { TimerHandle, Timers } from '../../server/shared/timers.js';

/** Timers on a simulated clock: nothing runs until the test advances time. */
export class ManualTimers implements Timers {
  private time = 0;
  private next = 1;
  private pending: { id: number; at: number; run: () => void }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    const id = this.next++;
    this.pending.push({ id, at: this.time + ms, run });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle.id);
  }

  /** When each pending timer is due, soonest first. */
  dueTimes(): number[] {
    return this.pending.map((p) => p.at).sort((a, b) => a - b);
  }

  /** Moves time forward, running each timer that falls due in order and letting the promises it starts settle. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      const due = this.pending.filter((p) => p.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = due.at;
      due.run();
    }
    this.time = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
