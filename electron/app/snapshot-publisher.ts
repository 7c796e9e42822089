import type { AppSnapshot } from '../api/contract.js';

export type SnapshotContent = Omit<AppSnapshot, 'revision'>;

/**
 * Publishes AppSnapshots: one per turn of the event loop in which anything
 * changed (changes made together are coalesced), and one every
 * `liveIntervalMs` while something live (a call, the mic test) moves levels.
 * Every snapshot gets the next revision.
 */
export class SnapshotPublisher {
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  private revision = 0;
  private queued = false;
  private liveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly compose: () => SnapshotContent,
    private readonly isLive: () => boolean,
    private readonly liveIntervalMs: number,
  ) {}

  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The state now, as the next revision. */
  snapshot(): AppSnapshot {
    return { revision: ++this.revision, ...this.compose() };
  }

  /** Something a view shows has changed: publish it once this turn is over. */
  changed(): void {
    if (!this.queued) {
      this.queued = true;
      queueMicrotask(() => {
        this.queued = false;
        this.publish();
      });
    }
    this.updateLiveTimer();
  }

  close(): void {
    clearInterval(this.liveTimer);
    this.liveTimer = undefined;
  }

  private publish(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }

  private updateLiveTimer(): void {
    const live = this.isLive();
    if (live && !this.liveTimer) {
      this.liveTimer = setInterval(() => this.changed(), this.liveIntervalMs);
      this.liveTimer.unref();
    } else if (!live && this.liveTimer) {
      this.close();
    }
  }
}
