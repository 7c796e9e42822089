import { API_METHODS } from '../../../electron/api/contract.js';
import type { ActionResult, ApiMethod, ParleyActions, ParleyApi } from '../../../electron/api/contract.js';

type GuardedMethod = Exclude<ApiMethod, 'getSnapshot'>;
type ResultMethod = { [M in GuardedMethod]: Awaited<ReturnType<ParleyActions[M]>> extends ActionResult ? M : never }[GuardedMethod];

/** Which actions answer with an ActionResult; the type makes this list follow the contract. */
const ANSWERS_WITH_RESULT = {
  host: true,
  join: true,
  leave: false,
  setMuted: false,
  setDeafened: false,
  setPeerVolume: false,
  setPeerMuted: false,
  updateSettings: true,
  refreshDevices: false,
  startMicTest: true,
  stopMicTest: false,
  pushToTalk: false,
  copyInvite: true,
  dismissNotice: false,
  openHelp: false,
  sendChat: true,
  markChatRead: false,
  openChatLink: true,
  browseRooms: true,
  stopBrowsing: false,
  moveToRoom: true,
} as const satisfies { [M in GuardedMethod]: M extends ResultMethod ? true : false };

export const IPC_FAILED = 'ipcFailed';

export function answersWithResult(method: ApiMethod): boolean {
  return method !== 'getSnapshot' && ANSWERS_WITH_RESULT[method];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The API as the views use it: a call whose IPC fails (the main process is
 * gone or threw) never rejects into a click handler. Actions with an
 * ActionResult answer { ok: false } with the reason; the others hand the
 * reason to `report`, which the window shows as an error notice.
 */
export function guardApi(api: ParleyApi, report: (message: string) => void): ParleyApi {
  const guarded: Record<string, unknown> = {
    onSnapshot: (listener: Parameters<ParleyApi['onSnapshot']>[0]) => api.onSnapshot(listener),
    onLevels: (listener: Parameters<ParleyApi['onLevels']>[0]) => api.onLevels(listener),
    // useSnapshot shows a failed start itself.
    getSnapshot: () => api.getSnapshot(),
  };
  for (const method of API_METHODS) {
    if (method === 'getSnapshot') continue;
    const call = api[method] as (...args: unknown[]) => Promise<unknown>;
    guarded[method] = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await call.apply(api, args);
      } catch (error) {
        const message = `Parley's window could not reach the app: ${messageOf(error)}`;
        if (ANSWERS_WITH_RESULT[method]) return { ok: false, error: { code: IPC_FAILED, message } } satisfies ActionResult;
        report(message);
        return undefined;
      }
    };
  }
  return guarded as unknown as ParleyApi;
}
