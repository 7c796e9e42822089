import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PREFIX = 'parley-relay-bench-';
/** No run lasts this long, so an older folder belongs to a run that was killed. */
const ABANDONED_AFTER_MS = 3_600_000;

export interface CompiledBench {
  /** Where the compiled tree lives: `<dir>/bench/relay/relay-process.js` and so on. */
  dir: string;
  dispose(): Promise<void>;
}

/**
 * Compiles the relay and load-generator processes with the project's own
 * TypeScript settings, so both run as plain JavaScript the way the shipped
 * relay does: a loader such as tsx would add ~25 MB to the relay's RSS and
 * its start-up work to the measurement. The output sits under node_modules
 * so the compiled files resolve packages as the sources do; each run gets
 * its own folder, so concurrent runs do not collide.
 */
export async function compileBenchProcesses(): Promise<CompiledBench> {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  await removeAbandoned(cache);
  const dir = await mkdtemp(join(cache, PREFIX));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    // Emit only: `npm run typecheck` checks these files, and skipping it here halves the wait.
    const project = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
    await promisify(execFile)(process.execPath, [tsc, '-p', project, '--outDir', dir, '--noCheck'], { cwd: REPO_ROOT });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`compiling the benchmark processes failed:\n${output || String(error)}`, { cause: error });
  }
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

async function removeAbandoned(cache: string): Promise<void> {
  for (const name of await readdir(cache)) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(cache, name);
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs > ABANDONED_AFTER_MS) await rm(path, { recursive: true, force: true });
  }
}
