import { parseArgs } from 'node:util';
import { findBottlenecks } from './bottleneck.js';
import { validateCase, VOICE_PPS, voiceCase, type RelayBenchCase, type RelayImpl } from './case-spec.js';
import { compileBenchProcesses } from './compile.js';
import { createBenchNetns } from './netns.js';
import { describePlacement } from './placement.js';
import { runUndisturbed, type RunOptions } from './run-case.js';

const USAGE = `npm run bench:relay [-- options]

Without case options, runs the default sweep. With any, runs that one case
(unset options take the defaults shown).

  --impl parley|naive    relay to measure (default parley)
  --members N            simulated clients, one UDP socket each (default 3000)
  --rooms N              rooms; members are dealt round-robin (default 300)
  --talkers N            talkers per room (default 1)
  --pps N                packets per second per talker (default ${VOICE_PPS}: 20 ms frames)
  --seconds S            measured window (default 10)
  --warmup S             warm-up before the window (default 2)
  --rate-limit N         Parley's per-member packets/s limit (default: the relay's own)
  --tcp-share P          percent of members on TCP instead of UDP (default 0)
  --workers N            Parley's relay workers: UDP sockets on one port, one per
                         thread (default 1; applies to Parley cases only)
  --compare-workers A,B  run each case once per worker count (e.g. 1,2), one line each
  --netns                run the load generator in a network namespace of its own,
                         reaching the relay over a veth pair (needs root); default:
                         both on loopback
  --cpu-prof DIR         write V8 CPU profiles of the relay and the load generator
                         over the measured window into DIR
  --nice N               run both at this priority (default 0; below 0 needs root
                         and is written --nice=-10)
  --no-pin               do not pin the relay and the load to separate cores (with
                         more workers than spare cores the relay is never pinned)
  --quiet-wait S         before each case, wait up to S s for other processes to go idle (default 10)
  --retries N            rerun a case disturbed by other processes up to N times (default 1)

Prints one JSON line per case on stdout; progress and diagnostics go to stderr.`;

/**
 * Parley across scales up to the target (3,000 members in rooms of ten, one
 * talker each), then Parley against the naive seed relay at equal fan-out:
 * ten members, first one voice talker (latency at light load), then all ten
 * talking at 500 packets/s (45k forwards/s, where CPU per packet shows).
 */
export function defaultSweep(): RelayBenchCase[] {
  const busyRoom = (impl: RelayImpl): RelayBenchCase => ({
    ...voiceCase(impl, 10, 1, 10, 5),
    packetsPerSecond: 500,
    // Parley's default allows 200 packets/s per member; the check still runs at the raised limit.
    memberRateLimitPps: impl === 'parley' ? 600 : undefined,
  });
  return [
    voiceCase('parley', 500, 50),
    voiceCase('parley', 1_000, 100),
    voiceCase('parley', 1_500, 150),
    voiceCase('parley', 2_000, 200),
    voiceCase('parley', 3_000, 300),
    // One member in ten over TCP (networks that block UDP), at the target's load: against the all-UDP case above.
    { ...voiceCase('parley', 3_000, 300), tcpSharePct: 10 },
    voiceCase('naive', 10, 1, 1, 5),
    voiceCase('parley', 10, 1, 1, 5),
    busyRoom('naive'),
    busyRoom('parley'),
  ];
}

/** Worker counts from `--workers N` or `--compare-workers A,B`: the same case once per count. */
function workerCounts(workers: string | undefined, compare: string | undefined): number[] {
  if (workers !== undefined && compare !== undefined) throw new RangeError('give --workers or --compare-workers, not both');
  const counts = (compare ?? workers ?? '1').split(',').map((raw) => Number(raw.trim()));
  if (counts.some((count) => !Number.isInteger(count) || count < 1)) {
    throw new RangeError(`--${compare === undefined ? 'workers' : 'compare-workers'} takes positive integers, got "${compare ?? workers}"`);
  }
  return counts;
}

interface Cli {
  cases: RelayBenchCase[];
  options: Omit<RunOptions, 'netns'>;
  netns: boolean;
}

function parseCli(argv: string[]): Cli | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      impl: { type: 'string' },
      members: { type: 'string' },
      rooms: { type: 'string' },
      talkers: { type: 'string' },
      pps: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      'rate-limit': { type: 'string' },
      'tcp-share': { type: 'string' },
      workers: { type: 'string' },
      'compare-workers': { type: 'string' },
      netns: { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      nice: { type: 'string' },
      'no-pin': { type: 'boolean' },
      'quiet-wait': { type: 'string' },
      retries: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const number = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new RangeError(`--${name} must be a number, got "${raw}"`);
    return value;
  };
  const impl = values.impl ?? 'parley';
  if (impl !== 'parley' && impl !== 'naive') throw new RangeError(`--impl must be parley or naive, got "${impl}"`);
  const caseKeys = ['impl', 'members', 'rooms', 'talkers', 'pps', 'seconds', 'warmup', 'rate-limit', 'tcp-share'] as const;
  const single = caseKeys.some((key) => values[key] !== undefined);
  const rateLimit = values['rate-limit'] === undefined ? undefined : number('rate-limit', values['rate-limit'], 0);
  const counts = workerCounts(values.workers, values['compare-workers']);
  const baseCases: RelayBenchCase[] = single
    ? [
        {
          impl,
          members: number('members', values.members, 3_000),
          rooms: number('rooms', values.rooms, impl === 'naive' ? 1 : 300),
          talkersPerRoom: number('talkers', values.talkers, 1),
          packetsPerSecond: number('pps', values.pps, VOICE_PPS),
          seconds: number('seconds', values.seconds, 10),
          warmupSeconds: number('warmup', values.warmup, 2),
          memberRateLimitPps: rateLimit,
          tcpSharePct: number('tcp-share', values['tcp-share'], 0),
        },
      ]
    : defaultSweep();
  // The sweep's naive cases run once: that relay has one socket. A naive case asked for by name is refused (validateCase).
  const cases = baseCases.flatMap((spec) => (spec.impl === 'naive' && !single ? [spec] : counts.map((workers) => ({ ...spec, workers }))));
  return {
    cases,
    netns: values.netns === true,
    options: {
      pin: !values['no-pin'],
      cpuProfileDir: values['cpu-prof'],
      nice: number('nice', values.nice, 0),
      quietWaitSeconds: number('quiet-wait', values['quiet-wait'], 10),
      retries: number('retries', values.retries, 1),
    },
  };
}

async function main(): Promise<void> {
  const parsed = parseCli(process.argv.slice(2));
  if (parsed === 'help') {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  // Refuse a bad case before spending time on compiling and on the cases before it.
  for (const spec of parsed.cases) validateCase(spec);
  const compiled = await compileBenchProcesses();
  // One namespace for the whole run; it goes on exit and on SIGINT as well (see createBenchNetns).
  const netns = parsed.netns ? createBenchNetns() : undefined;
  if (netns) process.stderr.write(`[relay-bench] load generator in network namespace ${netns.name} (${netns.memberHost}), relay on ${netns.relayHost}\n`);
  try {
    for (const spec of parsed.cases) {
      process.stderr.write(
        `[relay-bench] ${spec.impl}: ${spec.members} members, ${spec.rooms} rooms, ${spec.talkersPerRoom} talker(s)/room at ${spec.packetsPerSecond} pps, ${spec.warmupSeconds}+${spec.seconds} s, ${spec.workers ?? 1} worker(s)\n`,
      );
      const { result, diagnostics, placement } = await runUndisturbed(spec, compiled, { ...parsed.options, netns });
      process.stderr.write(`[relay-bench]   ${describePlacement(placement)} ${JSON.stringify(diagnostics)}\n`);
      const bottlenecks = findBottlenecks(result, diagnostics);
      process.stderr.write(`[relay-bench]   limited by: ${bottlenecks.length > 0 ? bottlenecks.join('; ') : 'nothing (neither side saturated)'}\n`);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  } finally {
    netns?.dispose();
    await compiled.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`relay bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
