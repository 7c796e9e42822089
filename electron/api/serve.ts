import type { ApiMethod, ParleyActions } from './contract.js';
import { validateApiCall } from './validation.js';

/** What the bridge between window and main can tell about who made a call. */
export interface Caller {
  /** The call came from Parley's own window. */
  fromOurWindow: boolean;
  /** From that window's main frame (not a frame inside it). */
  isMainFrame: boolean;
  /** The URL that frame shows. */
  url: string;
}

/**
 * Serves one call to the API. It must come from our window's main frame
 * while that shows our own page (a #fragment aside), and its arguments must
 * be valid; only then does `actions` see it. The preload's IPC (main/ipc.ts)
 * and the browser tests' stand-in for it both serve calls through here.
 */
export async function serveApiCall(actions: ParleyActions, windowUrl: string, caller: Caller, method: string, args: unknown): Promise<unknown> {
  if (!(caller.fromOurWindow && caller.isMainFrame && caller.url.split('#')[0] === windowUrl)) throw new Error(`Refused ${method} from an untrusted sender`);
  const valid = validateApiCall(method, args);
  const handler = actions[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>;
  return handler.apply(actions, valid);
}
