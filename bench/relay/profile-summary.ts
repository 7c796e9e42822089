import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The parts of V8's .cpuprofile format this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  selfPct: number;
  /** Share of the busy (non-idle) time. */
  selfBusyPct: number;
}

/** Self time per function (summed over its call sites), most expensive first. */
export function summariseProfile(profile: CpuProfile): { busyPct: number; rows: ProfileRow[] } {
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${basename(url)}:${lineNumber + 1}` : '';
    nameOf.set(node.id, `${functionName || '(anonymous)'}${where}`);
  }
  const selfUs = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const name = nameOf.get(id) ?? '(unknown)';
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
    total += delta;
  });
  const idle = selfUs.get('(idle)') ?? 0;
  const busy = total - idle;
  const rows = [...selfUs]
    .filter(([name]) => name !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ name, selfPct: (us / total) * 100, selfBusyPct: (us / busy) * 100 }));
  return { busyPct: (busy / total) * 100, rows };
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/relay/profile-summary.ts FILE.cpuprofile [TOP]\n');
    process.exitCode = 2;
    return;
  }
  const { busyPct, rows } = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  process.stdout.write(`${basename(file)}: busy ${busyPct.toFixed(1)}% of the profiled time\n`);
  for (const row of rows.slice(0, Number(top))) {
    process.stdout.write(`${row.selfBusyPct.toFixed(1).padStart(6)}%  ${row.name}\n`);
  }
}

main();
