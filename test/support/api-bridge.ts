/**
 * A stand-in for Electron's preload and IPC, for running Parley's built
 * window in plain Chromium (Electron's own binary cannot run in the test
 * environment). The page gets the same `window.parley` the preload exposes,
 * one function per API_METHODS entry plus onSnapshot and onLevels, so the
 * renderer runs unchanged. Calls cross to Node through a Playwright binding,
 * which serves them as electron/main/ipc.ts does, through the same
 * serveApiCall (caller checked, arguments validated) before they reach the
 * real API (an AppController in the tests); snapshots and levels go the other
 * way by page.evaluate, as webContents.send does. Both travel over the
 * DevTools protocol, so the window's strict Content-Security-Policy
 * (connect-src 'none') stays as it is.
 */
import type { Page } from 'playwright-core';
import { API_METHODS, type AppSnapshot, type LiveLevels, type ParleyApi } from '../../electron/api/contract.js';
import { serveApiCall } from '../../electron/api/serve.js';

const CALL_BINDING = '__parleyStandInCall';
const DELIVER_FUNCTION = '__parleyStandInDeliver';

/** What the preload does, as page script: runs before the window's own scripts in every document. */
function preloadStandIn(): string {
  return `(() => {
  const listeners = { snapshot: new Set(), levels: new Set() };
  const subscribe = (kind) => (listener) => {
    listeners[kind].add(listener);
    return () => { listeners[kind].delete(listener); };
  };
  const api = { onSnapshot: subscribe('snapshot'), onLevels: subscribe('levels') };
  for (const method of ${JSON.stringify(API_METHODS)}) {
    api[method] = (...args) => window[${JSON.stringify(CALL_BINDING)}](method, args);
  }
  Object.defineProperty(window, ${JSON.stringify(DELIVER_FUNCTION)}, {
    value: (kind, payload) => { for (const listener of listeners[kind]) listener(payload); },
  });
  Object.defineProperty(window, 'parley', { value: Object.freeze(api), enumerable: true });
})();`;
}

export interface WindowBridge {
  /** Snapshots or levels that could not be delivered while the page was open; a test expects none. */
  readonly failures: Error[];
  /** Stops forwarding snapshots and levels (the page itself is the caller's to close). */
  close(): void;
}

/**
 * Opens the window at `windowUrl` in `page`, wired to `api`. Only the page's
 * main frame, showing that very URL, may call.
 */
export async function openWindow(page: Page, api: ParleyApi, windowUrl: string): Promise<WindowBridge> {
  await page.exposeBinding(CALL_BINDING, (source, method: unknown, args: unknown) =>
    serveApiCall(api, windowUrl, { fromOurWindow: source.page === page, isMainFrame: source.frame === page.mainFrame(), url: source.frame.url() }, String(method), args),
  );
  await page.addInitScript(preloadStandIn());

  const failures: Error[] = [];
  const loaded = page.goto(windowUrl);
  // Held until the window's document exists; evaluate keeps them in order, as webContents.send does.
  const deliver = (kind: 'snapshot' | 'levels', payload: AppSnapshot | LiveLevels): void => {
    void loaded
      .then(() => page.evaluate(
        ([name, what, value]) => (globalThis as unknown as Record<string, (k: string, v: unknown) => void>)[name]!(what, value),
        [DELIVER_FUNCTION, kind, payload] as const,
      ))
      .catch((error: unknown) => {
        if (!page.isClosed()) failures.push(error instanceof Error ? error : new Error(String(error)));
      });
  };
  const unsubscribe = [api.onSnapshot((snapshot) => deliver('snapshot', snapshot)), api.onLevels((levels) => deliver('levels', levels))];
  await loaded;
  return { failures, close: () => unsubscribe.forEach((stop) => stop()) };
}
