/**
 * A stand-in for the `electron` module, for testing Parley's main process
 * wiring in plain Node: the Electron binary cannot be downloaded here. It
 * records what main.ts asks of Electron (windows and their options, IPC
 * handlers, event handlers, the tray) and lets a test play Electron's part.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (...args: unknown[]) => unknown;

export const recorded = {
  windows: [] as StandInWindow[],
  ipcHandlers: new Map<string, Handler>(),
  protocolClients: [] as unknown[][],
  permissionRequestHandler: undefined as Handler | undefined,
  permissionCheckHandler: undefined as Handler | undefined,
  trays: [] as StandInTray[],
  clipboard: [] as string[],
  openedExternally: [] as string[],
  quitCalls: 0,
};

const userData = mkdtempSync(join(tmpdir(), 'parley-electron-stand-in-'));

class StandInApp extends EventEmitter {
  requestSingleInstanceLock = (): boolean => true;
  setAsDefaultProtocolClient = (...args: unknown[]): boolean => {
    recorded.protocolClients.push(args);
    return true;
  };
  whenReady = (): Promise<void> => Promise.resolve();
  getAppPath = (): string => new URL('../..', import.meta.url).pathname;
  getPath = (name: string): string => join(userData, name);
  quit = (): void => {
    recorded.quitCalls++;
  };
}
export const app = new StandInApp();

class StandInFrame {
  constructor(public url: string) {}
}

export class StandInWebContents extends EventEmitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  mainFrame = new StandInFrame('');
  windowOpenHandler: Handler | undefined;
  readonly session = { webRequest: { onHeadersReceived: (handler: Handler) => (this.headersHandler = handler) } };
  headersHandler: Handler | undefined;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
}

export class StandInWindow extends EventEmitter {
  readonly webContents = new StandInWebContents();
  visible = false;
  loadedUrl = '';
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
}
export { StandInWindow as BrowserWindow };

export const ipcMain = {
  handle: (channel: string, handler: Handler): void => void recorded.ipcHandlers.set(channel, handler),
  removeHandler: (channel: string): void => void recorded.ipcHandlers.delete(channel),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: Handler): void => void (recorded.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Handler): void => void (recorded.permissionCheckHandler = handler),
  },
};

export const shell = { openExternal: (url: string): Promise<void> => (recorded.openedExternally.push(url), Promise.resolve()) };
export const clipboard = { writeText: (text: string): void => void recorded.clipboard.push(text) };
export const systemPreferences = {
  getMediaAccessStatus: (): string => 'granted',
  askForMediaAccess: (): Promise<boolean> => Promise.resolve(true),
  isTrustedAccessibilityClient: (): boolean => true,
};

class StandInTray extends EventEmitter {
  menu: unknown;
  tooltip = '';
  constructor(readonly icon: unknown) {
    super();
    recorded.trays.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu;
  }
  destroy(): void {}
}
export { StandInTray as Tray };

export const Menu = { buildFromTemplate: (template: unknown[]): { items: unknown[] } => ({ items: template }) };
export const nativeImage = { createFromPath: () => ({ resize: () => ({}) }) };

export default { app, BrowserWindow: StandInWindow, ipcMain, session, shell, clipboard, systemPreferences, Tray: StandInTray, Menu, nativeImage };
