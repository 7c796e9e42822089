import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from './settings.js';

export interface LoadedSettings {
  settings: Settings;
  /** Set when the file existed but could not be used; the bad copy is kept beside it. */
  problem?: string;
}

/**
 * Reads and writes settings.json. A damaged file is never overwritten
 * silently: it is moved aside as settings.json.bad and Parley starts from
 * defaults, telling the user why. Writes go to a temporary file first and
 * are renamed into place, so a crash mid-write cannot leave half a file.
 */
export class SettingsStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(): Promise<LoadedSettings> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
      return { settings: DEFAULT_SETTINGS, problem: `Could not read settings (${(error as Error).message}); using defaults.` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      await this.keepBadCopy();
      return { settings: DEFAULT_SETTINGS, problem: 'The settings file was damaged; it was kept as settings.json.bad and defaults are in use.' };
    }
    const parsed = settingsSchema.safeParse(json);
    if (parsed.success) return { settings: parsed.data };
    // Keep every field that is still valid: one bad value should not cost the rest.
    const salvaged = salvage(json);
    await this.keepBadCopy();
    return {
      settings: salvaged,
      problem: `Some settings were invalid (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}) and were reset; the old file was kept as settings.json.bad.`,
    };
  }

  save(settings: Settings): Promise<void> {
    // Serialise writes: the last call's content always ends up on disk.
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.tmp`;
      await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
      await rename(temporary, this.path);
    });
    return this.writing;
  }

  private async keepBadCopy(): Promise<void> {
    await rename(this.path, `${this.path}.bad`).catch(() => undefined);
  }
}

function salvage(json: unknown): Settings {
  if (typeof json !== 'object' || json === null) return DEFAULT_SETTINGS;
  const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const shape = settingsSchema.shape;
  for (const [key, value] of Object.entries(json)) {
    if (!(key in shape)) continue;
    const field = shape[key as keyof typeof shape].safeParse(value);
    if (field.success) result[key] = field.data;
  }
  return settingsSchema.parse(result);
}
