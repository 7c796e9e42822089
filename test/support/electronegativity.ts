/**
 * Electronegativity (Doyensec's checker for Electron's security checklist),
 * run through its programmatic entry: its command line needs commander 2,
 * which it does not declare and which is not this project's commander.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface ChecklistFinding {
  /** The check's id, e.g. OPEN_EXTERNAL_JS_CHECK. */
  check: string;
  /** Relative to the scanned folder. */
  file: string;
  line: number;
  severity: Severity;
  description: string;
}

export interface ChecklistReport {
  findings: ChecklistFinding[];
  /** Files it could not read: whatever they hold was not checked. */
  unreadable: { file: string; message: string }[];
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: Severity };
  description: string;
}

type Run = (
  options: { input: string; isRelative: boolean; electronVersionOverride: string; excludeFromScan: string[] },
  forCli: boolean,
) => Promise<{ issues: RawIssue[]; errors: { file: string; message: string }[] }>;

/**
 * Scans `folder` as code for Electron `electronVersion` (the folder has no
 * package.json to read it from). The check that fetches Electron's release
 * list from the network is left out: it judges the Electron version, which
 * is not in this folder, and a test does not depend on the network.
 */
export async function runElectronChecklist(folder: string, electronVersion: string): Promise<ChecklistReport> {
  const require = createRequire(import.meta.url);
  // At start it fetches translations over HTTP (with got) and falls back to its bundled English
  // texts when that fails. Its HTTP client is stood in for by one that fails at once, so the test
  // never reaches for the network (offline, got's retries could surface as unhandled errors).
  const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = require.resolve('got', { paths: [packageDir] });
  const offline = (): Promise<never> => Promise.reject(new Error('Parley\'s test runs offline'));
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) } as unknown as NodeJS.Module;
  const run = require('@doyensec/electronegativity') as Run;
  const result = await run(
    { input: folder, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] },
    false,
  );
  return {
    findings: result.issues.map((issue) => ({
      check: issue.id,
      file: issue.file,
      line: issue.location.line,
      severity: issue.severity.name,
      description: issue.description,
    })),
    unreadable: result.errors.map(({ file, message }) => ({ file, message })),
  };
}
