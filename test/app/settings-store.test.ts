import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, rememberServer } from '../../electron/app/settings.js';
import { SettingsStore } from '../../electron/app/settings-store.js';

const freshPath = (): string => join(mkdtempSync(join(tmpdir(), 'parley-settings-')), 'nested', 'settings.json');

describe('settings store', () => {
  it('starts from defaults and persists what it saves', async () => {
    const path = freshPath();
    const store = new SettingsStore(path);
    expect(await store.load()).toEqual({ settings: DEFAULT_SETTINGS });
    const changed = { ...DEFAULT_SETTINGS, displayName: 'Ana', activation: 'pushToTalk' as const, pushToTalkKey: 'F8', peerVolumes: { Ben: { volume: 1.5, muted: false } } };
    await store.save(changed);
    expect(await new SettingsStore(path).load()).toEqual({ settings: changed });
  });

  it('keeps the last of several quick saves', async () => {
    const path = freshPath();
    const store = new SettingsStore(path);
    await Promise.all([1, 2, 3, 4].map((n) => store.save({ ...DEFAULT_SETTINGS, bitrateKbps: 16 + n })));
    expect(JSON.parse(readFileSync(path, 'utf8')).bitrateKbps).toBe(20);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it('moves a damaged file aside and says so', async () => {
    const path = freshPath();
    await new SettingsStore(path).save(DEFAULT_SETTINGS);
    writeFileSync(path, '{"displayName": "Ana", ');
    const loaded = await new SettingsStore(path).load();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toBe('The settings file was damaged; it was kept as settings.json.bad and defaults are in use.');
    expect(readFileSync(`${path}.bad`, 'utf8')).toBe('{"displayName": "Ana", ');
  });

  it('keeps every valid field when some are invalid', async () => {
    const path = freshPath();
    await new SettingsStore(path).save(DEFAULT_SETTINGS);
    writeFileSync(path, JSON.stringify({ displayName: 'Ana', frameMs: 25, bitrateKbps: 32, unknown: true }));
    const loaded = await new SettingsStore(path).load();
    expect(loaded.settings).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana', bitrateKbps: 32 });
    expect(loaded.problem).toMatch(/^Some settings were invalid \(frameMs\) and were reset/);
  });

  it('remembers ten recent servers, newest first, without duplicates', () => {
    let settings = DEFAULT_SETTINGS;
    for (let i = 0; i < 12; i++) settings = rememberServer(settings, `host${i}:47000`, 'Lobby', i);
    settings = rememberServer(settings, 'host5:47000', 'Lobby', 100);
    expect(settings.recentServers.map((s) => s.address)).toEqual(['host5:47000', 'host11:47000', 'host10:47000', 'host9:47000', 'host8:47000', 'host7:47000', 'host6:47000', 'host4:47000', 'host3:47000', 'host2:47000']);
  });
});
