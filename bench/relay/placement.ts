import { availableParallelism } from 'node:os';

/** The core the load generator is pinned to. */
const LOAD_CORE = 1;

/** Which cores (taskset) the relay and the load generator may run on; undefined leaves one to the scheduler. */
export interface Placement {
  relayCores: number[] | undefined;
  loadCore: number | undefined;
}

/**
 * `pin` says whether to pin at all (asked for, and taskset works).
 * With one worker the relay gets core 0 to itself and the load core 1, as
 * ever. With more, the relay gets one core per worker apart from the load's,
 * or, when the machine has not that many (two workers on two cores), is not
 * pinned at all: all of a process's threads inherit its pinning, so two
 * workers pinned to one core would take turns on it and the case would
 * measure that, not what a second worker buys. Unpinned, the scheduler moves
 * the relay's threads to whichever core is free; the load stays on its core,
 * so where its work lands is still known.
 */
export function placeProcesses(pin: boolean, workers: number, cores = availableParallelism()): Placement {
  if (!pin || cores < 2) return { relayCores: undefined, loadCore: undefined };
  const others = Array.from({ length: cores }, (_, core) => core).filter((core) => core !== LOAD_CORE);
  return { relayCores: others.length >= workers ? others.slice(0, workers) : undefined, loadCore: LOAD_CORE };
}

/** For the progress line: "relay on core 0, load on core 1". */
export function describePlacement({ relayCores, loadCore }: Placement): string {
  const relay = relayCores === undefined ? 'relay unpinned' : `relay on core${relayCores.length > 1 ? 's' : ''} ${relayCores.join(',')}`;
  return `${relay}, ${loadCore === undefined ? 'load unpinned' : `load on core ${loadCore}`}`;
}
