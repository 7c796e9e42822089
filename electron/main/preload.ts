/**
 * The window's only door to the main process. Runs sandboxed with context
 * isolation, so it exposes plain functions (one per API method, generated
 * from the contract's list) and never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_METHODS, IPC_PREFIX, SNAPSHOT_CHANNEL, type AppSnapshot, type ParleyApi } from '../api/contract.js';

const api = Object.fromEntries(
  API_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(`${IPC_PREFIX}${method}`, ...args)]),
) as Omit<ParleyApi, 'onSnapshot'>;

const exposed: ParleyApi = {
  ...api,
  onSnapshot(listener) {
    const forward = (_event: IpcRendererEvent, snapshot: AppSnapshot): void => listener(snapshot);
    ipcRenderer.on(SNAPSHOT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(SNAPSHOT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('parley', exposed);
