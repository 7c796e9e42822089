import type { AppSnapshot, LiveLevels } from '../api/contract.js';
import { levelsOf, withoutLevels } from '../api/live-levels.js';

export type SnapshotContent = Omit<AppSnapshot, 'revision'>;

/**
 * Publishes the state and, apart from it, the live levels. A snapshot goes
 * out once per turn of the event loop in which anything changed (changes
 * made together are coalesced). While something live runs (a call, the mic
 * test), every `liveIntervalMs` it looks again: if anything but the levels
 * changed without telling (a member's mute arriving in a roster, say), that
 * is a new snapshot; otherwise only the levels go out, and only when they
 * moved. Snapshots and levels share one revision counter.
 */
export class SnapshotPublisher {
  private readonly snapshotListeners = new Set<(snapshot: AppSnapshot) => void>();
  private readonly levelListeners = new Set<(levels: LiveLevels) => void>();
  private revision = 0;
  private queued = false;
  private liveTimer: NodeJS.Timeout | undefined;
  /** The last published state and levels, as compared (JSON, revisions left out). */
  private publishedState = '';
  private publishedLevels = '';

  constructor(
    private readonly compose: () => SnapshotContent,
    private readonly isLive: () => boolean,
    private readonly liveIntervalMs: number,
  ) {}

  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  onLevels(listener: (levels: LiveLevels) => void): () => void {
    this.levelListeners.add(listener);
    return () => this.levelListeners.delete(listener);
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
        this.publishState(this.snapshot());
      });
    }
    this.updateLiveTimer();
  }

  close(): void {
    clearInterval(this.liveTimer);
    this.liveTimer = undefined;
  }

  private liveTick(): void {
    const snapshot = this.snapshot();
    if (JSON.stringify(withoutLevels(snapshot)) !== this.publishedState) {
      this.publishState(snapshot);
      return;
    }
    const levels = levelsOf(snapshot);
    const compared = JSON.stringify({ ...levels, revision: 0 });
    if (compared === this.publishedLevels) return;
    this.publishedLevels = compared;
    for (const listener of this.levelListeners) listener(levels);
  }

  private publishState(snapshot: AppSnapshot): void {
    this.publishedState = JSON.stringify(withoutLevels(snapshot));
    // The snapshot carries the levels of its moment: the next levels are compared with those.
    this.publishedLevels = JSON.stringify({ ...levelsOf(snapshot), revision: 0 });
    for (const listener of this.snapshotListeners) listener(snapshot);
  }

  private updateLiveTimer(): void {
    const live = this.isLive();
    if (live && !this.liveTimer) {
      this.liveTimer = setInterval(() => this.liveTick(), this.liveIntervalMs);
      this.liveTimer.unref();
    } else if (!live && this.liveTimer) {
      this.close();
    }
  }
}
