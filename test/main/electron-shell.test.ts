import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS, SNAPSHOT_CHANNEL, type AppSnapshot } from '../../electron/api/contract.js';
import { HELP_URLS } from '../../electron/main/help-links.js';
import { waitFor } from '../helpers/relay.js';
import { recorded, type StandInWindow } from './electron-stand-in.js';

// The Electron binary cannot run here: main.ts runs against a stand-in that records what it asks of Electron.
vi.mock('electron', () => import('./electron-stand-in.js'));

describe('the Electron main process (against a stand-in for Electron)', () => {
  let window: StandInWindow;
  const invoke = (method: string, sender: unknown, frame: unknown, ...args: unknown[]): Promise<unknown> =>
    Promise.resolve().then(() => recorded.ipcHandlers.get(`parley:${method}`)!({ sender, senderFrame: frame }, ...args));
  const trusted = (method: string, ...args: unknown[]): Promise<unknown> => invoke(method, window.webContents, window.webContents.mainFrame, ...args);

  beforeAll(async () => {
    // No display: the push-to-talk hook must fall back to the focused window, not try X11.
    delete process.env.DISPLAY;
    await import('../../electron/main/main.js');
    await waitFor('window and handlers', () => recorded.windows.length === 1 && recorded.ipcHandlers.size === API_METHODS.length, 15_000);
    window = recorded.windows[0]!;
  });

  afterAll(async () => {
    await trusted('leave');
  });

  it('opens one locked-down window on the bundled renderer with the bundled preload', () => {
    const preferences = window.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(preferences.preload).toMatch(/\/dist\/preload\/preload\.cjs$/);
    expect(window.loadedUrl).toMatch(/^file:\/\/.*\/dist\/renderer\/index\.html$/);
  });

  it('sets a strict Content-Security-Policy on every response', () => {
    let headers: Record<string, string[]> = {};
    window.webContents.headersHandler!({ responseHeaders: {} }, (answer: { responseHeaders: Record<string, string[]> }) => (headers = answer.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('blocks navigation away, new windows and every permission request', () => {
    const prevented: string[] = [];
    window.webContents.emit('will-navigate', { preventDefault: () => prevented.push('away') }, 'https://example.org/');
    window.webContents.emit('will-navigate', { preventDefault: () => prevented.push('self') }, window.loadedUrl);
    expect(prevented).toEqual(['away']);
    expect(window.webContents.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    // Not even Parley's own help pages, nor what a middle-click on a link asks for: help opens through openHelp only.
    expect(window.webContents.windowOpenHandler!({ url: HELP_URLS.troubleshooting, disposition: 'foreground-tab' })).toEqual({ action: 'deny' });
    expect(window.webContents.windowOpenHandler!({ url: 'https://example.org/', disposition: 'background-tab' })).toEqual({ action: 'deny' });
    expect(recorded.openedExternally).toEqual([]);
    const answers: boolean[] = [];
    recorded.permissionRequestHandler!(window.webContents, 'media', (granted: boolean) => answers.push(granted));
    expect(answers).toEqual([false]);
    expect(recorded.permissionCheckHandler!()).toBe(false);
  });

  it('serves every API method over IPC, only to its own window, with validated arguments', async () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual(API_METHODS.map((m) => `parley:${m}`).sort());
    const snapshot = (await trusted('getSnapshot')) as AppSnapshot;
    expect(snapshot.connection).toEqual({ state: 'idle' });
    expect(snapshot.pushToTalk.scope).toBe('focused');
    await expect(invoke('getSnapshot', { other: true }, window.webContents.mainFrame)).rejects.toThrow('Refused getSnapshot from an untrusted sender');
    await expect(invoke('getSnapshot', window.webContents, { url: window.loadedUrl })).rejects.toThrow(/untrusted sender/);
    await expect(trusted('setMuted', 'yes')).rejects.toThrow(/Invalid call to setMuted: 0: Invalid input: expected boolean/);
    await expect(trusted('updateSettings', { bitrateKbps: 500 })).rejects.toThrow(/Invalid call to updateSettings/);
  });

  it('pushes snapshots to the window as the state changes', async () => {
    const sentBefore = window.webContents.sent.length;
    expect(await trusted('updateSettings', { cueSounds: false })).toEqual({ ok: true });
    await waitFor('snapshot sent', () => window.webContents.sent.length > sentBefore);
    const last = window.webContents.sent.at(-1)!;
    expect(last.channel).toBe(SNAPSHOT_CHANNEL);
    expect((last.payload as AppSnapshot).settings.cueSounds).toBe(false);
  });

  it('registers the parley:// handler and hands a clicked invite to the Join box', async () => {
    expect(recorded.protocolClients.some((args) => args[0] === 'parley')).toBe(true);
    const { app } = await import('./electron-stand-in.js');
    app.emit('second-instance', {}, ['/usr/bin/parley', 'parley://203.0.113.5:47000/Lobby#secret=abc']);
    await waitFor('invite in snapshot', () => ((window.webContents.sent.at(-1)?.payload as AppSnapshot | undefined)?.pendingInvite ?? null) !== null);
    expect((window.webContents.sent.at(-1)!.payload as AppSnapshot).pendingInvite).toBe('parley://203.0.113.5:47000/Lobby#secret=abc');
    expect(window.visible).toBe(true);
  });

  it('closes to the tray while the setting says so, keeping the call alive', async () => {
    expect(recorded.trays).toHaveLength(1);
    let prevented = false;
    window.show();
    window.emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(window.visible).toBe(false);
  });
});
