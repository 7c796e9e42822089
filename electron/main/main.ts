/**
 * Parley's Electron main process: a thin shell. It creates the controller
 * (which owns the voice engine, its UDP socket and, when hosting, the relay),
 * the window, the tray and the push-to-talk hook, and wires them together.
 */
import type { BrowserWindow } from 'electron';
import { app, clipboard, shell, systemPreferences } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { notifyChat } from './chat-notification.js';
import { LEVELS_CHANNEL, SNAPSHOT_CHANNEL, type AppSnapshot } from '../api/contract.js';
import { AppController } from '../app/controller.js';
import { createDeviceBackend } from '../app/device-backend.js';
import { SettingsStore } from '../app/settings-store.js';
import { HELP_URLS } from './help-links.js';
import { serveApi } from './ipc.js';
import { startPushToTalkHook, type PushToTalkHook } from './push-to-talk.js';
import { ParleyTray } from './tray.js';
import { createMainWindow, denyAllPermissions } from './window.js';

// naudiodon's quit() on an output whose device vanished blocks a libuv pool thread for good; the
// default pool of 4 would then starve file and crypto work after a few unplugged headsets.
process.env.UV_THREADPOOL_SIZE ??= '16';

const PROTOCOL = 'parley';
const appRoot = app.getAppPath();
const paths = {
  preload: join(appRoot, 'dist/preload/preload.cjs'),
  rendererHtml: join(appRoot, 'dist/renderer/index.html'),
  icon: join(appRoot, 'dist/renderer/icon.png'),
};
const log = pino({ level: process.env.PARLEY_LOG_LEVEL ?? 'info' });

const inviteIn = (argv: readonly string[]): string | undefined => argv.find((arg) => arg.toLowerCase().startsWith(`${PROTOCOL}://`));

if (!app.requestSingleInstanceLock()) {
  // Another Parley is running: it receives our arguments (an invite link, say) through 'second-instance'.
  app.quit();
} else {
  // In development Electron runs as `electron .`, so the handler must name the app path too.
  if (process.defaultApp) app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [appRoot]);
  else app.setAsDefaultProtocolClient(PROTOCOL);
  void main();
}

async function askMicrophoneAccess(): Promise<boolean> {
  if (process.platform !== 'darwin') return true;
  if (systemPreferences.getMediaAccessStatus('microphone') === 'granted') return true;
  return systemPreferences.askForMediaAccess('microphone');
}

async function main(): Promise<void> {
  let pendingInvite = inviteIn(process.argv);
  // macOS delivers clicked links as an event, possibly before the app is ready.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (controller) controller.openInvite(url);
    else pendingInvite = url;
  });
  let controller: AppController | undefined;
  await app.whenReady();
  denyAllPermissions();

  controller = await AppController.create({
    store: new SettingsStore(join(app.getPath('userData'), 'settings.json')),
    audio: createDeviceBackend(),
    platform: process.platform,
    logger: log,
    ports: {
      writeClipboard: (text) => clipboard.writeText(text),
      openHelp: (topic) => void shell.openExternal(HELP_URLS[topic]),
      // The controller opens only web links, and only after the user confirmed the address in the window.
      openExternal: (url) => void shell.openExternal(url),
      notifyChat: (message) => notifyChat(message, window),
      askMicrophoneAccess,
    },
  });
  const ready = controller;
  if (pendingInvite) ready.openInvite(pendingInvite);

  let window: BrowserWindow | undefined;
  let quitting = false;
  const openWindow = (): BrowserWindow => {
    const created = createMainWindow(paths);
    created.on('close', (event) => {
      // Closing to the tray keeps the call going, as Discord and TeamSpeak do.
      if (!quitting && tray && ready.currentSettings.closeToTray) {
        event.preventDefault();
        created.hide();
      }
    });
    created.on('closed', () => {
      if (window === created) window = undefined;
    });
    return created;
  };
  window = openWindow();
  const stopServing = serveApi(ready, () => window?.webContents, pathToFileURL(paths.rendererHtml).href);

  const quit = (): void => {
    quitting = true;
    app.quit();
  };
  let tray: ParleyTray | undefined;
  try {
    tray = new ParleyTray(paths.icon, ready, () => window, quit);
  } catch (error) {
    // Some Linux desktops have no tray; the window then simply closes the app.
    log.warn({ err: error }, 'no system tray');
  }

  const hook: PushToTalkHook = startPushToTalkHook(
    (pressed) => ready.setPushToTalkPressed(pressed),
    process.platform === 'darwin' ? systemPreferences.isTrustedAccessibilityClient(false) : true,
  );
  ready.setPushToTalkScope(hook.scope, hook.note);
  let boundKey: string | null | undefined;
  ready.onLevels((levels) => window?.webContents.send(LEVELS_CHANNEL, levels));
  ready.onSnapshot((snapshot: AppSnapshot) => {
    window?.webContents.send(SNAPSHOT_CHANNEL, snapshot);
    tray?.update(snapshot);
    const wanted = snapshot.settings.activation === 'pushToTalk' ? snapshot.settings.pushToTalkKey : null;
    if (wanted !== boundKey) {
      boundKey = wanted;
      const note = hook.setBinding(wanted);
      ready.setPushToTalkScope(note ? 'focused' : hook.scope, note ?? hook.note);
    }
  });

  app.on('second-instance', (_event, argv) => {
    const invite = inviteIn(argv);
    if (invite) ready.openInvite(invite);
    window ??= openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('activate', () => {
    window ??= openWindow();
    window.show();
  });
  app.on('window-all-closed', () => {
    if (!tray || !ready.currentSettings.closeToTray) quit();
  });
  app.on('before-quit', (event) => {
    if (!quitting) quitting = true;
    // Leave the room (and stop hosting, telling members) before the process goes.
    if (controller) {
      event.preventDefault();
      const closing = controller;
      controller = undefined;
      hook.stop();
      stopServing();
      tray?.destroy();
      void closing.shutdown().finally(() => app.quit());
    }
  });
}
