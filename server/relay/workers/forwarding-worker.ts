import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { decodeControl } from '../../protocol/control.js';
import { systemClock } from '../../shared/clock.js';
import { RelayCounters, snapshotStats } from '../counters.js';
import { sortDatagram, type DatagramHandlers, type DatagramLog } from '../datagram-sort.js';
import type { Endpoint } from '../endpoint.js';
import { Forwarder } from '../forwarder.js';
import { Outbox } from '../outbox.js';
import { bindRelaySocket, RelayStartError } from '../relay-socket.js';
import type { UplinkTally } from '../uplink-loss.js';
import { MemberReplicas } from './member-replicas.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';

/**
 * One forwarding worker of a relay spread over several (a worker thread):
 * its own socket on the relay's port, a replica of membership, and the same
 * Forwarder the main thread runs. Media is forwarded here, with no hop to any
 * other thread; control goes to the main thread, which holds the sessions.
 */
function mainThread(): MessagePort {
  if (!parentPort) throw new Error('the forwarding worker runs only as a worker thread');
  return parentPort;
}
const port = mainThread();
const init = workerData as WorkerInit;
const post = (message: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);
const clock = systemClock;

/** The datagram's own copy, whose memory moves to the main thread rather than being copied again. */
function detached(datagram: Buffer): Uint8Array {
  return new Uint8Array(datagram);
}

/** The member a sealed datagram names, and its body's length, without opening it; undefined for anything else. */
function sealedMember(datagram: Buffer): { memberId: number; bytes: number } | undefined {
  try {
    const message = decodeControl(datagram);
    return message.type === 'sealed' ? { memberId: message.memberId, bytes: message.ciphertext.length } : undefined;
  } catch {
    // The main thread decodes it again and answers or counts it as it would any datagram.
    return undefined;
  }
}

async function run(): Promise<void> {
  let socket;
  try {
    socket = await bindRelaySocket(init.type, init.address, init.port, true);
  } catch (error) {
    const code = error instanceof RelayStartError ? error.code : 'unknown';
    return post({ type: 'bindFailed', code, message: error instanceof Error ? error.message : String(error) });
  }
  const counters = new RelayCounters();
  const outbox = new Outbox(socket, counters);
  const replicas = new MemberReplicas(init.rateLimit, (id) => ({
    send: (datagram) => {
      const copy = detached(datagram);
      post({ type: 'toStream', id, datagram: copy }, [copy.buffer as ArrayBuffer]);
    },
  }));
  const forwarder = new Forwarder(replicas, outbox, counters);
  const log: DatagramLog = {
    error: (detail: unknown, message?: string) => post({ type: 'error', message: message ?? 'error', detail: String((detail as { err?: unknown }).err ?? detail) }),
  } as DatagramLog;

  const handlers: DatagramHandlers = {
    media: (datagram, remote) => forwarder.forward(datagram, remote, clock.now()),
    control: (datagram, remote) => {
      let budgetSpent = false;
      let tally: [number, UplinkTally] | undefined;
      const sealed = sealedMember(datagram);
      const member = sealed && replicas.member(sealed.memberId);
      // From the member's own address its budget is here, with the rest of its datagrams; from elsewhere the main thread decides.
      if (sealed && member?.isAt(remote)) {
        if (!member.withinBudget(sealed.bytes, clock.now())) return counters.drop('rate_limited');
        budgetSpent = true;
        tally = [member.id, member.uplinkLoss.tally()];
      }
      const copy = detached(datagram);
      post({ type: 'control', datagram: copy, address: remote.address, port: remote.port, budgetSpent, ...(tally ? { tally } : {}) }, [copy.buffer as ArrayBuffer]);
    },
  };
  socket.on('message', (datagram, info) => {
    const remote: Endpoint = { address: info.address, port: info.port };
    sortDatagram(datagram, remote, counters, log, handlers);
  });
  socket.on('error', () => {
    counters.sendErrors++;
  });

  let reportedAt = -Infinity;
  const report = (requestId?: number): void => {
    const now = clock.now();
    const cpu = process.threadCpuUsage();
    post({
      type: 'report',
      worker: init.worker,
      // Rooms and members are the main thread's to count.
      stats: snapshotStats(counters, 0, 0),
      cpu: { user: cpu.user, system: cpu.system },
      heard: replicas.heardSince(reportedAt),
      ...(requestId === undefined ? {} : { requestId }),
    });
    reportedAt = now;
  };
  const reportTimer = setInterval(() => report(), init.reportIntervalMs);

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'report':
        return report(message.requestId);
      case 'close':
        clearInterval(reportTimer);
        report();
        socket.close(() => port.close());
        return;
      default:
        return replicas.apply(message, clock.now());
    }
  });
  post({ type: 'bound' });
}

void run();
