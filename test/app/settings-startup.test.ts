import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppController } from '../../electron/app/controller.js';
import { DEFAULT_SETTINGS } from '../../electron/api/settings.js';
import { SettingsStore, type LoadedSettings } from '../../electron/app/settings-store.js';
import { WavBackend } from '../support/wav-backend.js';
import { QUIET_PORTS } from '../support/quiet-ports.js';

/** A settings store whose disk fails while loading, in a way no file content can cause (an injected fault). */
class UnreadableStore extends SettingsStore {
  override load(): Promise<LoadedSettings> {
    return Promise.reject(new Error('the disk went away'));
  }
}

describe('starting the app with settings it cannot use', () => {
  const controllers: AppController[] = [];
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.shutdown()));
  });

  async function start(store: SettingsStore, dir: string): Promise<AppController> {
    const controller = await AppController.create({
      store,
      audio: new WavBackend(dir),
      platform: 'linux',
      ports: QUIET_PORTS,
    });
    controllers.push(controller);
    return controller;
  }

  it('starts with what could be salvaged from a file that made loading throw, says so, and keeps it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-startup-'));
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{"displayName":"Ana","frameMs":7,"constructor":1}');
    const controller = await start(new SettingsStore(path), dir);
    expect(controller.currentSettings).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana' });
    expect(controller.snapshot().notices.map((n) => [n.kind, n.text])).toEqual([
      ['warning', 'Some settings were invalid (frameMs) and were reset; the old file was kept as settings.json.bad.'],
    ]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana' });
    expect(readFileSync(`${path}.bad`, 'utf8')).toBe('{"displayName":"Ana","frameMs":7,"constructor":1}');
  });

  it('starts from defaults with a notice when the settings cannot be loaded at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-startup-'));
    const controller = await start(new UnreadableStore(join(dir, 'settings.json')), dir);
    expect(controller.currentSettings).toEqual(DEFAULT_SETTINGS);
    expect(controller.snapshot().notices.map((n) => [n.kind, n.text])).toEqual([
      ['warning', 'Settings could not be loaded (the disk went away); defaults are in use.'],
    ]);
  });
});
