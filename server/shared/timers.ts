/**
 * Wall-clock timers, passed in so that what waits (lease renewal, the
 * deadlines on router requests, a relay's drain and its event-loop watch,
 * the fleet agent's health pings) runs on a simulated clock in tests.
 */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

export const systemTimers: Timers = (() => {
  const live = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return {
    now: () => performance.now(),
    setTimeout(run, ms) {
      const id = next++;
      const timer = setTimeout(() => {
        live.delete(id);
        run();
      }, ms);
      // A pending renewal must not keep a finished process alive.
      timer.unref();
      live.set(id, timer);
      return { id };
    },
    clearTimeout(handle) {
      clearTimeout(live.get(handle.id));
      live.delete(handle.id);
    },
  };
})();

export class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** `work`, or a DeadlineError after `ms`: nothing a router does (or fails to do) holds us longer. */
export function withDeadline<T>(work: Promise<T>, ms: number, timers: Timers, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => reject(new DeadlineError(what, ms)), ms);
    work.then(
      (value) => {
        timers.clearTimeout(handle);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(handle);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
