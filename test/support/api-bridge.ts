/**
 * A stand-in for Electron's preload and IPC, for running Parley's built
 * window in plain Chromium (Electron's own binary cannot run in the test
 * environment). The page gets the same `window.parley` the preload exposes,
 * one function per API_METHODS entry plus onSnapshot, so the renderer runs
 * unchanged. Calls cross to Node through a Playwright binding, which serves
 * them as electron/main/ipc.ts does, through the same serveApiCall (caller
 * checked, arguments validated) before they reach the real API (an
 * AppController in the tests); snapshots go the other way by page.evaluate,
 * as webContents.send does. Both travel over the DevTools protocol, so the
 * window's strict Content-Security-Policy (connect-src 'none') stays as it is.
 */
import type { Page } from 'playwright-core';
import { API_METHODS, type AppSnapshot, type ParleyApi } from '../../electron/api/contract.js';
import { serveApiCall } from '../../electron/api/serve.js';

const CALL_BINDING = '__parleyStandInCall';
const DELIVER_FUNCTION = '__parleyStandInDeliver';

/** What the preload does, as page script: runs before the window's own scripts in every document. */
function preloadStandIn(): string {
  return `(() => {
  const listeners = new Set();
  const api = {
    onSnapshot(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
  for (const method of ${JSON.stringify(API_METHODS)}) {
    api[method] = (...args) => window[${JSON.stringify(CALL_BINDING)}](method, args);
  }
  Object.defineProperty(window, ${JSON.stringify(DELIVER_FUNCTION)}, {
    value: (snapshot) => { for (const listener of listeners) listener(snapshot); },
  });
  Object.defineProperty(window, 'parley', { value: Object.freeze(api), enumerable: true });
})();`;
}

export interface WindowBridge {
  /** Snapshots that could not be delivered while the page was open; a test expects none. */
  readonly failures: Error[];
  /** Stops forwarding snapshots (the page itself is the caller's to close). */
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
  // Held until the window's document exists; evaluate keeps them in order.
  const deliver = (snapshot: AppSnapshot): void => {
    void loaded
      .then(() => page.evaluate(
        ([name, value]) => (globalThis as unknown as Record<string, (s: AppSnapshot) => void>)[name]!(value),
        [DELIVER_FUNCTION, snapshot] as const,
      ))
      .catch((error: unknown) => {
        if (!page.isClosed()) failures.push(error instanceof Error ? error : new Error(String(error)));
      });
  };
  const unsubscribe = api.onSnapshot(deliver);
  await loaded;
  return { failures, close: unsubscribe };
}
