/**
 * The window's only door to the main process. Runs sandboxed with context
 * isolation, so it exposes plain functions (one per API method, generated
 * from the contract's list) and never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_METHODS, IPC_PREFIX, LEVELS_CHANNEL, SNAPSHOT_CHANNEL, type ParleyApi } from '../api/contract.js';

const api = Object.fromEntries(
  API_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(`${IPC_PREFIX}${method}`, ...args)]),
) as Omit<ParleyApi, 'onSnapshot' | 'onLevels'>;

/** Hands the listener what main sent on `channel`, never the IPC event itself. */
function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: T): void => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const exposed: ParleyApi = {
  ...api,
  onSnapshot: (listener) => subscribe(SNAPSHOT_CHANNEL, listener),
  onLevels: (listener) => subscribe(LEVELS_CHANNEL, listener),
};

contextBridge.exposeInMainWorld('parley', exposed);
