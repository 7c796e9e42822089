import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { API_METHODS, IPC_PREFIX, type ParleyActions } from '../api/contract.js';
import { serveApiCall, type Caller } from '../api/serve.js';

/**
 * Serves the API over IPC. Every call must come from our own window's main
 * frame, loaded from our own renderer file; its arguments are validated
 * before the controller sees it (electron/api/serve.ts).
 */
export function serveApi(actions: ParleyActions, trusted: () => WebContents | undefined, rendererUrl: string): () => void {
  const callerOf = (event: IpcMainInvokeEvent): Caller => {
    const fromOurWindow = event.sender === trusted();
    const frame = event.senderFrame;
    return { fromOurWindow, isMainFrame: fromOurWindow && frame !== null && frame === event.sender.mainFrame, url: frame?.url ?? '' };
  };
  for (const method of API_METHODS) {
    ipcMain.handle(`${IPC_PREFIX}${method}`, (event, ...args: unknown[]) => serveApiCall(actions, rendererUrl, callerOf(event), method, args));
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(`${IPC_PREFIX}${method}`);
  };
}
