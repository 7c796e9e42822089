import { useEffect, useState } from 'react';
import type { AppSnapshot, LiveLevels, ParleyApi } from '../../../electron/api/contract.js';
import { withLevels } from '../../../electron/api/live-levels.js';

export type SnapshotState = { status: 'loading' } | { status: 'ready'; snapshot: AppSnapshot } | { status: 'failed'; message: string };

/**
 * The latest snapshot: the one getSnapshot() returns at start, then every one
 * pushed, with the live levels pushed between snapshots laid over it. A
 * snapshot or levels older than what is shown (IPC can reorder a pushed
 * snapshot and the initial reply) is ignored.
 */
export function useSnapshot(api: ParleyApi): SnapshotState {
  const [state, setState] = useState<SnapshotState>({ status: 'loading' });

  useEffect(() => {
    let active = true;
    const accept = (snapshot: AppSnapshot): void => {
      if (!active) return;
      setState((current) =>
        current.status === 'ready' && current.snapshot.revision >= snapshot.revision ? current : { status: 'ready', snapshot },
      );
    };
    const acceptLevels = (levels: LiveLevels): void => {
      if (!active) return;
      setState((current) => {
        if (current.status !== 'ready') return current;
        const snapshot = withLevels(current.snapshot, levels);
        return snapshot === current.snapshot ? current : { status: 'ready', snapshot };
      });
    };
    const unsubscribe = [api.onSnapshot(accept), api.onLevels(acceptLevels)];
    api.getSnapshot().then(accept, (error: unknown) => {
      if (!active) return;
      const message = error instanceof Error ? error.message : String(error);
      setState((current) => (current.status === 'ready' ? current : { status: 'failed', message }));
    });
    return () => {
      active = false;
      for (const stop of unsubscribe) stop();
    };
  }, [api]);

  return state;
}
