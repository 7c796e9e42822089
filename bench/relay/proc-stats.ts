import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ); 100 on every Linux we know of. */
function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

const TICKS_PER_SECOND = clockTicksPerSecond();

/** CPU seconds (user + system, all threads) a process has used so far, read from outside it. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) sit at offsets 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc/${pid}/stat layout`);
  return (utime + stime) / TICKS_PER_SECOND;
}

/**
 * CPU seconds all cores have spent busy since boot. Less the relay's and the
 * generator's own, it shows what else ran during a case: this machine's two
 * cores may be shared, and a neighbour's work would distort the numbers.
 */
export function machineBusyCpuSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, ticks) => sum + (ticks ?? 0), 0);
  return busy / TICKS_PER_SECOND;
}

/**
 * Seconds a process's main thread has spent runnable but waiting for a CPU:
 * time it wanted to work and another task had the core.
 */
export function runQueueWaitSeconds(pid: number): number {
  const [, waitingNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return (waitingNs ?? 0) / 1e9;
}

/**
 * Seconds the given cores have spent in interrupt and softirq handling. The
 * kernel delivers the datagrams a process sends to a local receiver (over
 * loopback or a veth pair) there, and with IRQ time accounting it is not
 * charged to the process: on the relay's pinned cores it is relay work that
 * relayCpuPct does not show.
 */
export function coreInterruptSeconds(cores: readonly number[]): number {
  if (cores.length === 0) return 0;
  const rows = readFileSync('/proc/stat', 'utf8').split('\n');
  let ticks = 0;
  for (const core of cores) {
    const line = rows.find((row) => row.startsWith(`cpu${core} `));
    if (!line) throw new Error(`no cpu${core} in /proc/stat`);
    const [, , , , , , irq, softirq] = line.trim().split(/\s+/).map(Number);
    ticks += (irq ?? 0) + (softirq ?? 0);
  }
  return ticks / TICKS_PER_SECOND;
}

/** Resident set size in MiB. */
export function processRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full,
 * for the IPv4 UDP sockets bound to `ports`: the one place that tells a
 * slow relay (its socket drops) from a slow load generator (its sockets do).
 * The table is per network namespace, so it is read as process `pid` sees
 * it: the relay's from the relay's side when the generator has its own.
 */
export function udpDropsByPort(ports: ReadonlySet<number>, pid: number | 'self' = 'self'): number {
  const table = readFileSync(`/proc/${pid}/net/udp`, 'utf8').split('\n').slice(1);
  let drops = 0;
  for (const line of table) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    const dropped = fields[12];
    if (!local || dropped === undefined) continue;
    const port = Number.parseInt(local.slice(local.indexOf(':') + 1), 16);
    if (ports.has(port)) drops += Number(dropped);
  }
  return drops;
}

export function isPinningAvailable(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
