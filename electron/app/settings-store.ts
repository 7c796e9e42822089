import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../api/settings.js';

export interface LoadedSettings {
  settings: Settings;
  /** Set when the file existed but could not be used as it was; says what happened to it. */
  problem?: string;
}

/** Editors on Windows may start a UTF-8 file with one; JSON.parse does not accept it. */
const BYTE_ORDER_MARK = '\uFEFF';
/** How many kept copies to look past before giving up on finding a free name. */
const MAX_KEPT_COPIES = 1000;

/**
 * Reads and writes settings.json. A file that cannot be used as it is is
 * never lost: its bytes are kept beside it (settings.json.bad, then
 * settings.json.2.bad, …, so one damaged file never replaces the copy of
 * another), and what Parley salvaged from it is written in its place, so the
 * next start begins where this one did. Writes go to a temporary file first
 * and are renamed into place, so a crash mid-write cannot leave half a file.
 * Loading never throws: every failure ends in usable settings and a problem
 * for the user to read.
 */
export class SettingsStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(): Promise<LoadedSettings> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
      return { settings: DEFAULT_SETTINGS, problem: `Could not read settings (${messageOf(error)}); using defaults.` };
    }
    const text = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text);
    } catch {
      return this.replaceUnusable(bytes, DEFAULT_SETTINGS, 'The settings file was damaged', 'defaults are in use');
    }
    const parsed = settingsSchema.safeParse(json);
    if (parsed.success) return { settings: parsed.data };
    if (!isPlainObject(json)) {
      return this.replaceUnusable(bytes, DEFAULT_SETTINGS, `The settings file held ${describeJson(json)} instead of settings`, 'defaults are in use');
    }
    // Keep every field that is still valid: one bad value should not cost the rest.
    const { settings, reset } = salvage(json);
    return this.replaceUnusable(bytes, settings, `Some settings were invalid (${reset.join(', ')}) and were reset`);
  }

  save(settings: Settings): Promise<void> {
    // Serialise writes: the last call's content always ends up on disk.
    const write = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.tmp`;
      await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
      await rename(temporary, this.path);
    });
    // One failed write must not fail every later one.
    this.writing = write.catch(() => undefined);
    return write;
  }

  /**
   * Keeps the unusable file's bytes under a free name, then writes what is in
   * use in its place. If no copy could be kept the file is left untouched, so
   * nothing the user had is ever lost.
   */
  private async replaceUnusable(bytes: Buffer, settings: Settings, what: string, inUse?: string): Promise<LoadedSettings> {
    let keptAs: string;
    try {
      keptAs = await this.keepCopy(bytes);
    } catch (error) {
      return { settings, problem: `${what}; it could not be set aside (${messageOf(error)}), so it was left as it is and ${inUse ?? 'the rest is in use'}.` };
    }
    const kept = inUse ? `it was kept as ${keptAs} and ${inUse}` : `the old file was kept as ${keptAs}`;
    try {
      await this.save(settings);
    } catch (error) {
      return { settings, problem: `${what}; ${kept}, but the repaired settings could not be saved (${messageOf(error)}).` };
    }
    return { settings, problem: `${what}; ${kept}.` };
  }

  /** Writes the bytes to the first free kept-copy name (exclusive create: an existing copy is never replaced). */
  private async keepCopy(bytes: Buffer): Promise<string> {
    const folder = dirname(this.path);
    const name = basename(this.path);
    for (let n = 1; n <= MAX_KEPT_COPIES; n++) {
      const copy = n === 1 ? `${name}.bad` : `${name}.${n}.bad`;
      try {
        await writeFile(join(folder, copy), bytes, { flag: 'wx' });
        return copy;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`${MAX_KEPT_COPIES} earlier copies are in the way`);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function isPlainObject(json: unknown): json is Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

function describeJson(json: unknown): string {
  if (Array.isArray(json)) return 'a list';
  if (json === null) return 'null';
  if (typeof json === 'string') return 'a text';
  if (typeof json === 'number') return 'a number';
  return String(json);
}

/**
 * Every field of the file that is valid on its own, defaults for the rest.
 * Only the schema's own field names count: `key in shape` would also match
 * what every object inherits (constructor, toString, __proto__).
 */
function salvage(json: Record<string, unknown>): { settings: Settings; reset: string[] } {
  const shape = settingsSchema.shape;
  const kept: Record<string, unknown> = {};
  const reset: string[] = [];
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (!Object.hasOwn(json, key)) continue;
    const field = shape[key].safeParse(json[key]);
    if (field.success) kept[key] = field.data;
    else reset.push(key);
  }
  return { settings: settingsSchema.parse(kept), reset };
}
