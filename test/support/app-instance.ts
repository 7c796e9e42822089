import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppSnapshot, ChatMessageView, HelpTopic } from '../../electron/api/contract.js';
import { withLevels } from '../../electron/api/live-levels.js';
import { AppController } from '../../electron/app/controller.js';
import { SettingsStore } from '../../electron/app/settings-store.js';
import { WavBackend } from './wav-backend.js';

export interface AppInstance {
  controller: AppController;
  /** What the app put on the clipboard, the help pages and links it opened, the chat it notified (Electron's part, recorded). */
  clipboard: string[];
  help: HelpTopic[];
  opened: string[];
  notified: ChatMessageView[];
  latest: () => AppSnapshot;
  settingsPath: string;
}

export interface AppInstanceOptions {
  /** Extra microphones: device name → WAV file it plays. */
  inputs?: Record<string, string>;
  dir?: string;
}

/**
 * One Parley as the desktop app runs it, minus Electron: the real controller
 * with its settings file in a temporary folder, WAV files for devices, and
 * its embedded relay bound to loopback.
 */
export async function startAppInstance(options: AppInstanceOptions = {}): Promise<AppInstance> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'parley-app-'));
  const clipboard: string[] = [];
  const help: HelpTopic[] = [];
  const opened: string[] = [];
  const notified: ChatMessageView[] = [];
  const settingsPath = join(dir, 'settings.json');
  const controller = await AppController.create({
    store: new SettingsStore(settingsPath),
    audio: new WavBackend(dir, options.inputs),
    platform: 'linux',
    hostBindAddress: '127.0.0.1',
    liveIntervalMs: 50,
    ports: {
      writeClipboard: (text) => clipboard.push(text),
      openHelp: (topic) => help.push(topic),
      openExternal: (url) => opened.push(url),
      notifyChat: (message) => notified.push(message),
      askMicrophoneAccess: async () => true,
    },
  });
  // What a window would show: the latest snapshot with any newer levels laid over it.
  let latest = controller.snapshot();
  controller.onSnapshot((snapshot) => (latest = snapshot));
  controller.onLevels((levels) => (latest = withLevels(latest, levels)));
  return { controller, clipboard, help, opened, notified, latest: () => latest, settingsPath };
}
