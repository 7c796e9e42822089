import { mkdtempSync, readFileSync, existsSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from '../../electron/api/settings.js';
import { rememberServer } from '../../electron/app/settings-changes.js';
import { SettingsStore } from '../../electron/app/settings-store.js';

const freshPath = (): string => join(mkdtempSync(join(tmpdir(), 'parley-settings-')), 'nested', 'settings.json');

/** A settings.json holding exactly `text`. */
function fileWith(text: string | Buffer): string {
  const path = freshPath();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** The names an object inherits from Object.prototype, which `key in object` also matches. */
const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

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

  it('saves again after a save failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-settings-'));
    const store = new SettingsStore(join(dir, 'blocked', 'settings.json'));
    // A file where the settings folder should be: the folder cannot be made, the save fails.
    writeFileSync(join(dir, 'blocked'), '');
    await expect(store.save(DEFAULT_SETTINGS)).rejects.toThrow();
    rmSync(join(dir, 'blocked'));
    await store.save({ ...DEFAULT_SETTINGS, displayName: 'Ana' });
    expect(JSON.parse(readFileSync(store.path, 'utf8')).displayName).toBe('Ana');
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

  for (const key of ['constructor', 'toString', '__proto__']) {
    it(`salvages a file with a "${key}" key beside an invalid value`, async () => {
      // JSON.parse makes even "__proto__" an own property, as a hand-edited or foreign file may have it.
      const path = fileWith(`{"displayName":"Ana","frameMs":7,"${key}":1}`);
      const loaded = await new SettingsStore(path).load();
      expect(loaded.settings).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana' });
      expect(Object.getPrototypeOf(loaded.settings)).toBe(Object.prototype);
      expect(loaded.problem).toBe('Some settings were invalid (frameMs) and were reset; the old file was kept as settings.json.bad.');
    });
  }

  it('writes the salvaged settings back, so the next start keeps them', async () => {
    const path = fileWith(JSON.stringify({ displayName: 'Ana', frameMs: 25, bitrateKbps: 32 }));
    await new SettingsStore(path).load();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana', bitrateKbps: 32 });
    expect(await new SettingsStore(path).load()).toEqual({ settings: { ...DEFAULT_SETTINGS, displayName: 'Ana', bitrateKbps: 32 } });
  });

  it('accepts a file that starts with a UTF-8 byte order mark', async () => {
    const path = fileWith(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"displayName":"Ana","bitrateKbps":32}')]));
    expect(await new SettingsStore(path).load()).toEqual({ settings: { ...DEFAULT_SETTINGS, displayName: 'Ana', bitrateKbps: 32 } });
    expect(existsSync(`${path}.bad`)).toBe(false);
  });

  it('keeps every damaged file: a second one does not overwrite the first copy', async () => {
    const path = fileWith('{"displayName": "Ana", ');
    expect((await new SettingsStore(path).load()).problem).toBe('The settings file was damaged; it was kept as settings.json.bad and defaults are in use.');
    writeFileSync(path, '{"displayName": "Ben", ');
    expect((await new SettingsStore(path).load()).problem).toBe('The settings file was damaged; it was kept as settings.json.2.bad and defaults are in use.');
    writeFileSync(path, JSON.stringify({ displayName: 'Cai', frameMs: 7 }));
    expect((await new SettingsStore(path).load()).problem).toBe('Some settings were invalid (frameMs) and were reset; the old file was kept as settings.json.3.bad.');
    expect(readFileSync(`${path}.bad`, 'utf8')).toBe('{"displayName": "Ana", ');
    expect(readFileSync(join(dirname(path), 'settings.json.2.bad'), 'utf8')).toBe('{"displayName": "Ben", ');
    expect(readFileSync(join(dirname(path), 'settings.json.3.bad'), 'utf8')).toBe('{"displayName":"Cai","frameMs":7}');
    expect(readdirSync(dirname(path)).sort()).toEqual(['settings.json', 'settings.json.2.bad', 'settings.json.3.bad', 'settings.json.bad']);
  });

  it('names what the file held when it holds no settings object at all', async () => {
    for (const [text, held] of [
      ['[1, 2]', 'a list'],
      ['null', 'null'],
      ['42', 'a number'],
      ['"Ana"', 'a text'],
      ['true', 'true'],
    ] as const) {
      const loaded = await new SettingsStore(fileWith(text)).load();
      expect(loaded).toEqual({
        settings: DEFAULT_SETTINGS,
        problem: `The settings file held ${held} instead of settings; it was kept as settings.json.bad and defaults are in use.`,
      });
    }
  });

  it('names every field it reset, once each, for values nested inside a field too', async () => {
    const path = fileWith(JSON.stringify({ displayName: 'Ana', hostPort: 0, peerVolumes: { Ben: { volume: 9, muted: false }, Cai: { volume: 1 } } }));
    const loaded = await new SettingsStore(path).load();
    expect(loaded.settings).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana' });
    expect(loaded.problem).toBe('Some settings were invalid (peerVolumes, hostPort) and were reset; the old file was kept as settings.json.bad.');
  });

  it('never throws, whatever JSON the file holds and whatever its keys are called', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-settings-fuzz-'));
    const fieldNames = Object.keys(settingsSchema.shape);
    const key = fc.oneof(fc.constantFrom(...fieldNames, ...PROTOTYPE_NAMES), fc.string({ maxLength: 12 }));
    // Objects written key by key, so a "__proto__" key stays a plain key in the file.
    const objectText = (value: fc.Arbitrary<string>): fc.Arbitrary<string> =>
      fc.array(fc.tuple(key, value), { maxLength: 8 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
    const anyValue = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value));
    const fileText = fc.oneof(anyValue, objectText(fc.oneof(anyValue, objectText(anyValue))), fc.string({ maxLength: 20 }));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fileText, async (bom, text) => {
        const path = join(dir, String(run++), 'settings.json');
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${bom ? '\uFEFF' : ''}${text}`);
        const loaded = await new SettingsStore(path).load();
        expect(settingsSchema.parse(loaded.settings)).toEqual(loaded.settings);
        expect(Object.keys(loaded.settings).sort()).toEqual([...fieldNames].sort());
        expect(Object.getPrototypeOf(loaded.settings)).toBe(Object.prototype);
        // What was loaded is on disk now (or the file was fine as it was): the next start sees the same.
        expect((await new SettingsStore(path).load()).settings).toEqual(loaded.settings);
      }),
      { numRuns: 300 },
    );
  });

  it('remembers ten recent servers, newest first, without duplicates', () => {
    let settings = DEFAULT_SETTINGS;
    for (let i = 0; i < 12; i++) settings = rememberServer(settings, `host${i}:47000`, 'Lobby', i);
    settings = rememberServer(settings, 'host5:47000', 'Lobby', 100);
    expect(settings.recentServers.map((s) => s.address)).toEqual(['host5:47000', 'host11:47000', 'host10:47000', 'host9:47000', 'host8:47000', 'host7:47000', 'host6:47000', 'host4:47000', 'host3:47000', 'host2:47000']);
  });
});
