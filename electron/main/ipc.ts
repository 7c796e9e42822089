import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { API_METHODS, IPC_PREFIX, type ParleyActions } from '../api/contract.js';
import { validateApiCall } from '../api/validation.js';

/**
 * Serves the API over IPC. Every call must come from our own window's main
 * frame, loaded from our own renderer file; its arguments are validated
 * before the controller sees them.
 */
export function serveApi(actions: ParleyActions, trusted: () => WebContents | undefined, rendererUrl: string): () => void {
  const isTrusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return event.sender === trusted() && frame !== null && frame === event.sender.mainFrame && frame.url.split('#')[0] === rendererUrl;
  };
  for (const method of API_METHODS) {
    ipcMain.handle(`${IPC_PREFIX}${method}`, (event, ...args: unknown[]) => {
      if (!isTrusted(event)) throw new Error(`Refused ${method} from an untrusted sender`);
      const valid = validateApiCall(method, args);
      const handler = actions[method] as (...a: unknown[]) => Promise<unknown>;
      return handler.apply(actions, valid);
    });
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(`${IPC_PREFIX}${method}`);
  };
}
