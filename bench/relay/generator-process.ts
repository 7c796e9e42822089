import { performance } from 'node:perf_hooks';
import type { RelayAddress } from '../../electron/net/udp-transport.js';
import type { GeneratorResult, RelayBenchCase } from './case-spec.js';
import { childArgs, tellParent, type GeneratorArgs, type GeneratorDiagnostics } from './ipc.js';
import { LoopDelay } from './loop-delay.js';
import { inOwnNetns } from './netns.js';
import { announceNaiveMembers, fanOutOf, isTalker, joinParleyMembers, type BenchMember } from './members.js';
import { coreInterruptSeconds, machineBusyCpuSeconds, processCpuSeconds, processRssMb, runQueueWaitSeconds, udpDropsByPort } from './proc-stats.js';
import { checkSocketBudget } from './socket-budget.js';
import { WindowProfiler } from './window-profiler.js';
import { ForwardingMeter, Keepalive, VoiceSender, type Talker, type Window } from './traffic.js';

/** Time after the last send for forwarded packets still in flight to arrive. */
const DRAIN_MS = 500;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits: number): number => Number(value.toFixed(digits));
const log = (message: string): void => void process.stderr.write(`[relay-bench] ${message}\n`);

/** Snapshots taken at the window's edges, from which the percentages come. */
interface Sample {
  wallNs: bigint;
  relayCpuSeconds: number;
  machineCpuSeconds: number;
  relayWaitSeconds: number;
  ownWaitSeconds: number;
  relayCoreInterruptSeconds: number;
  ownCpu: NodeJS.CpuUsage;
  loop: ReturnType<typeof performance.eventLoopUtilization>;
}

function sample(relayPid: number, relayCores: readonly number[]): Sample {
  return {
    relayCoreInterruptSeconds: coreInterruptSeconds(relayCores),
    wallNs: process.hrtime.bigint(),
    relayCpuSeconds: processCpuSeconds(relayPid),
    machineCpuSeconds: machineBusyCpuSeconds(),
    relayWaitSeconds: runQueueWaitSeconds(relayPid),
    ownWaitSeconds: runQueueWaitSeconds(process.pid),
    ownCpu: process.cpuUsage(),
    loop: performance.eventLoopUtilization(),
  };
}

async function joinMembers(spec: RelayBenchCase, relay: RelayAddress, keepalive: Keepalive | undefined): Promise<BenchMember[]> {
  if (spec.impl === 'naive') return announceNaiveMembers(spec, relay);
  return joinParleyMembers(spec, relay, (member) => keepalive?.add(member));
}

/**
 * The load generator: joins the members, has the talkers talk, and measures
 * what the relay forwards during the window, along with the relay's CPU and
 * memory (read from /proc) and its own health, since a generator that cannot
 * keep up looks exactly like a relay that cannot.
 */
async function generateLoad({ spec, netns, relayHost, relayPort, relayPid, relayCores, profilePath }: GeneratorArgs): Promise<{ result: GeneratorResult; diagnostics: GeneratorDiagnostics }> {
  if (netns && !inOwnNetns()) throw new Error('started for a network namespace of its own, but runs in its parent\'s');
  checkSocketBudget(spec.members);
  const relayIdleRssMb = processRssMb(relayPid);
  const talkerSsrcsByRoom = new Map<number, number[]>();
  const keepalive = spec.impl === 'parley' ? new Keepalive((member) => (talkerSsrcsByRoom.get(member.room) ?? []).filter((ssrc) => ssrc !== member.ssrc)) : undefined;
  let members: BenchMember[] = [];
  try {
    const joinStart = performance.now();
    members = await joinMembers(spec, { host: relayHost, port: relayPort }, keepalive);
    const joinSeconds = (performance.now() - joinStart) / 1000;
    log(`${members.length} members joined in ${joinSeconds.toFixed(1)} s`);
    const talkers: Talker[] = members.filter((m) => isTalker(spec, m.index)).map((member) => ({ member, fanOut: fanOutOf(spec, member.index) }));
    for (const { member } of talkers) talkerSsrcsByRoom.set(member.room, [...(talkerSsrcsByRoom.get(member.room) ?? []), member.ssrc]);

    const startNs = process.hrtime.bigint() + BigInt(Math.round(spec.warmupSeconds * 1e9));
    const window: Window = { startNs, endNs: startNs + BigInt(Math.round(spec.seconds * 1e9)) };
    const meter = new ForwardingMeter();
    for (const member of members) member.transport.onDatagram(meter.onDatagram);
    const ports = new Set(members.filter((m) => m.transport.kind === 'udp').map((m) => m.transport.localPort).filter((port): port is number => port !== undefined));
    // The relay's socket table is read as the relay sees it: the generator may be in a network namespace of its own.
    const relayDrops = (): number => udpDropsByPort(new Set([relayPort]), relayPid);
    const dropsBefore = { relay: relayDrops(), members: udpDropsByPort(ports) };

    const sender = new VoiceSender(talkers, spec.packetsPerSecond, window);
    const sending = sender.run();
    await sleep(Number(window.startNs - process.hrtime.bigint()) / 1e6);
    const loopDelay = new LoopDelay(1);
    loopDelay.enable();
    void tellParent({ type: 'window-started' });
    const profiler = new WindowProfiler(profilePath);
    await profiler.start();
    const first = sample(relayPid, relayCores);
    await sending;
    const last = sample(relayPid, relayCores);
    void tellParent({ type: 'window-ended' });
    loopDelay.disable();
    await profiler.stop();
    const relayRssMb = processRssMb(relayPid);
    await sleep(DRAIN_MS);
    keepalive?.stop();

    const wallSeconds = Number(last.wallNs - first.wallNs) / 1e9;
    const ownCpu = process.cpuUsage(first.ownCpu);
    const ownCpuSeconds = (ownCpu.user + ownCpu.system) / 1e6;
    const relayCpuSeconds = last.relayCpuSeconds - first.relayCpuSeconds;
    const otherCpuSeconds = last.machineCpuSeconds - first.machineCpuSeconds - relayCpuSeconds - ownCpuSeconds;
    const windowSeconds = spec.seconds;
    const latency = meter.latencyUs;
    const hasLatency = latency.count > 0;
    const result: GeneratorResult = {
      bench: 'relay',
      impl: spec.impl,
      clients: spec.members,
      rooms: spec.rooms,
      talkersPerRoom: spec.talkersPerRoom,
      tcpSharePct: spec.tcpSharePct ?? 0,
      offeredPps: Math.round(sender.sentInWindow / windowSeconds),
      expectedForwardPps: Math.round(sender.expectedInWindow / windowSeconds),
      forwardedPps: Math.round(meter.received / windowSeconds),
      lossPct: sender.expectedInWindow === 0 ? 0 : round(((sender.expectedInWindow - meter.received) / sender.expectedInWindow) * 100, 3),
      p50Ms: hasLatency ? round(latency.percentile(50) / 1000, 3) : 0,
      p99Ms: hasLatency ? round(latency.percentile(99) / 1000, 3) : 0,
      maxMs: hasLatency ? round(latency.max / 1000, 3) : 0,
      relayCpuPct: round((relayCpuSeconds / wallSeconds) * 100, 1),
      relayRssMb: round(relayRssMb, 1),
      cpuUsPerForward: meter.received === 0 ? null : round((relayCpuSeconds * 1e6) / meter.received, 2),
      generatorCpuPct: round((ownCpuSeconds / wallSeconds) * 100, 1),
    };
    const diagnostics: GeneratorDiagnostics = {
      joinSeconds: round(joinSeconds, 2),
      otherCpuPct: round((Math.max(0, otherCpuSeconds) / wallSeconds) * 100, 1),
      relayRunQueueWaitPct: round(((last.relayWaitSeconds - first.relayWaitSeconds) / wallSeconds) * 100, 1),
      generatorRunQueueWaitPct: round(((last.ownWaitSeconds - first.ownWaitSeconds) / wallSeconds) * 100, 1),
      relayCoreSoftirqPct: round(((last.relayCoreInterruptSeconds - first.relayCoreInterruptSeconds) / wallSeconds) * 100, 1),
      generatorLoopBusyPct: round(performance.eventLoopUtilization(last.loop, first.loop).utilization * 100, 1),
      generatorLoopDelayP99Ms: loopDelay.p99Ms(),
      sendBehindMaxMs: round(sender.behindMaxMs, 2),
      kernelDropsAtRelay: relayDrops() - dropsBefore.relay,
      kernelDropsAtMembers: udpDropsByPort(ports) - dropsBefore.members,
      relayIdleRssMb: round(relayIdleRssMb, 1),
      controlDatagramsReceived: meter.controlReceived,
    };
    return { result, diagnostics };
  } finally {
    keepalive?.stop();
    for (const member of members) member.transport.close();
  }
}

async function main(): Promise<void> {
  // Never outlive the benchmark that started us.
  process.on('disconnect', () => process.exit(1));
  const outcome = await generateLoad(childArgs<GeneratorArgs>());
  await tellParent({ type: 'result', ...outcome });
  process.exit(0);
}

main().catch(async (error: unknown) => {
  await tellParent({ type: 'failed', message: error instanceof Error ? error.message : String(error) }).catch(() => {});
  process.exit(1);
});
