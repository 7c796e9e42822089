import type { ParleyApi } from '../../electron/api/contract.js';

declare global {
  interface Window {
    /** Set by the preload script. The entry point still checks for it, since the page can be opened outside Parley. */
    parley: ParleyApi;
  }
}

export {};
