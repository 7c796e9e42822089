import { BrowserWindow, session } from 'electron';
import { pathToFileURL } from 'node:url';

export interface WindowPaths {
  preload: string;
  rendererHtml: string;
}

/**
 * One window, locked down per Electron's security checklist: isolated,
 * sandboxed, no Node, a strict CSP, no navigation away, no new windows (not
 * even by middle-click), no permissions (audio is captured natively by the
 * main process, never by the page). What each checklist finding was settled
 * as: docs/decisions/electron-checklist.md.
 */
export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const rendererUrl = pathToFileURL(paths.rendererHtml).href;
  const window = new BrowserWindow({
    width: 960,
    height: 680,
    minWidth: 360,
    minHeight: 420,
    title: 'Parley',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  contents.session.webRequest.onHeadersReceived((details, respond) => {
    // The policy is one literal, here where it is set, so that a reader and electronegativity's CSP
    // check see exactly what Chromium enforces (the check reads no variables). renderer/index.html's
    // meta tag says the same but for frame-ancestors, which only a header can set (its fonts fall
    // back to default-src 'self').
    respond({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ],
      },
    });
  });
  contents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== rendererUrl) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  // The page has no links (help pages open through the API's openHelp), so no window is ever wanted:
  // this also refuses what a middle-click on a link would open.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl);
  return window;
}

/** The page needs no browser permission at all: deny every request and check. */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
