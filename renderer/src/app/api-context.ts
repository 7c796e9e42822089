import { createContext, useContext } from 'react';
import type { ParleyApi } from '../../../electron/api/contract.js';

/** The views' only way to the main process: window.parley in the app, a fake in tests and the preview. */
export const ApiContext = createContext<ParleyApi | null>(null);

export function useApi(): ParleyApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('A Parley view was rendered outside <ApiContext.Provider>.');
  return api;
}
