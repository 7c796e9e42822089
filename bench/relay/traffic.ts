import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { OPUS_PAYLOAD_TYPE, RTP_CLOCK_RATE, TIMING } from '../../server/protocol/constants.js';
import { RTP_HEADER_BYTES } from '../../server/protocol/rtp.js';
import type { BenchMember } from './members.js';

/** The payload starts with the send time (ns of the machine's monotonic clock), then a byte saying "measured". */
const STAMP_OFFSET = RTP_HEADER_BYTES;
const MEASURED_OFFSET = STAMP_OFFSET + 8;
const MARKS_BYTES = 9;
/** Opus voice at 16–32 kbit/s in 20 ms frames, plus RED and the AEAD tag. */
const MIN_PAYLOAD = 80;
const PAYLOAD_SPREAD = 41;
const FILLER = Buffer.from(Array.from({ length: MIN_PAYLOAD + PAYLOAD_SPREAD }, (_, i) => (i * 151 + 7) & 0xff));

/**
 * The measured window on the monotonic clock, in ns. A packet is measured
 * when it was *scheduled* inside it, so the offered load counted is exactly
 * the schedule's even if the generator falls behind.
 */
export interface Window {
  startNs: bigint;
  endNs: bigint;
}

export interface Talker {
  member: BenchMember;
  /** How many listeners each of its packets should reach. */
  fanOut: number;
}

/**
 * Sends voice-like RTP from every talker: `packetsPerSecond` each, the
 * talkers' turns spread evenly over each packet interval (not all at once),
 * on a 1 ms timer that catches up on whatever fell due. Each packet carries
 * its send time so receivers can measure forwarding latency.
 */
export class VoiceSender {
  sentInWindow = 0;
  expectedInWindow = 0;
  /** Worst lateness against the schedule, in ms: the generator's own lag. */
  behindMaxMs = 0;
  private sent = 0;
  private readonly sequences: number[];
  private timer: NodeJS.Timeout | undefined;
  private readonly startNs = process.hrtime.bigint();
  private readonly intervalNs: number;
  /** Packet numbers: those from firstMeasured up to (not including) endIndex are scheduled inside the window. */
  private readonly firstMeasured: number;
  private readonly endIndex: number;

  constructor(
    private readonly talkers: readonly Talker[],
    private readonly packetsPerSecond: number,
    window: Window,
  ) {
    this.intervalNs = 1e9 / (packetsPerSecond * talkers.length);
    this.firstMeasured = Math.ceil(Number(window.startNs - this.startNs) / this.intervalNs);
    this.endIndex = Math.ceil(Number(window.endNs - this.startNs) / this.intervalNs);
    this.sequences = talkers.map((_, i) => (i * 7919) & 0xffff);
  }

  /** Sends everything scheduled before the window's end, then resolves. */
  run(): Promise<void> {
    return new Promise((resolve) => {
      this.timer = setInterval(() => {
        if (this.tick()) {
          clearInterval(this.timer);
          resolve();
        }
      }, 1);
    });
  }

  private tick(): boolean {
    const elapsedNs = Number(process.hrtime.bigint() - this.startNs);
    const due = Math.min(Math.floor(elapsedNs / this.intervalNs), this.endIndex - 1);
    if (this.sent <= due && this.sent >= this.firstMeasured) {
      this.behindMaxMs = Math.max(this.behindMaxMs, (elapsedNs - this.sent * this.intervalNs) / 1e6);
    }
    for (; this.sent <= due; this.sent++) this.sendOne(this.sent % this.talkers.length, this.sent >= this.firstMeasured);
    return this.sent >= this.endIndex;
  }

  private sendOne(talkerIndex: number, measured: boolean): void {
    const talker = this.talkers[talkerIndex]!;
    const sequence = this.sequences[talkerIndex]!;
    this.sequences[talkerIndex] = (sequence + 1) & 0xffff;
    const payloadBytes = MIN_PAYLOAD + ((sequence * 7 + talkerIndex * 13) % PAYLOAD_SPREAD);
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + payloadBytes);
    packet[0] = 0x80;
    packet[1] = OPUS_PAYLOAD_TYPE;
    packet.writeUInt16BE(sequence, 2);
    packet.writeUInt32BE((sequence * (RTP_CLOCK_RATE / this.packetsPerSecond)) >>> 0, 4);
    packet.writeUInt32BE(talker.member.ssrc, 8);
    packet[MEASURED_OFFSET] = measured ? 1 : 0;
    FILLER.copy(packet, STAMP_OFFSET + MARKS_BYTES, 0, payloadBytes - MARKS_BYTES);
    if (measured) {
      this.sentInWindow++;
      this.expectedInWindow += talker.fanOut;
    }
    packet.writeBigUInt64BE(process.hrtime.bigint(), STAMP_OFFSET);
    talker.member.transport.send(packet);
  }
}

/**
 * Counts forwarded packets that were measured and records their forwarding
 * latency (send to receipt, both on this machine's monotonic clock) in
 * microseconds, in Node's built-in HDR histogram.
 */
export class ForwardingMeter {
  received = 0;
  controlReceived = 0;
  readonly latencyUs: RecordableHistogram = createHistogram({ lowest: 1, highest: 60_000_000, figures: 3 });

  readonly onDatagram = (datagram: Buffer): void => {
    const nowNs = process.hrtime.bigint();
    // Anything not RTP (pongs, rosters, announcements) is the relay talking to the member itself.
    if (datagram.length < STAMP_OFFSET + MARKS_BYTES || (datagram[0]! & 0xc0) !== 0x80) {
      this.controlReceived++;
      return;
    }
    if (datagram[MEASURED_OFFSET] !== 1) return;
    this.received++;
    this.latencyUs.record(Math.max(1, Number((nowNs - datagram.readBigUInt64BE(STAMP_OFFSET)) / 1000n)));
  };
}

/**
 * Sends each Parley member's sealed PING every ping interval, spread evenly,
 * as the app does: without it the relay would drop silent listeners after
 * 15 s, and with it the relay does its real background work (pongs, loss
 * reports) during the measurement.
 */
export class Keepalive {
  private readonly members: BenchMember[] = [];
  private readonly pingIds = new Map<BenchMember, number>();
  private next = 0;
  private owed = 0;
  private last = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    /** Which SSRCs each member hears, for its receiver reports. */
    private readonly heardBy: (member: BenchMember) => number[],
    private readonly intervalMs = TIMING.pingIntervalMs,
  ) {
    this.timer = setInterval(() => this.tick(), 10);
  }

  add(member: BenchMember): void {
    if (member.sealer) this.members.push(member);
  }

  private tick(): void {
    const now = performance.now();
    this.owed += ((now - this.last) * this.members.length) / this.intervalMs;
    this.last = now;
    for (; this.owed >= 1 && this.members.length > 0; this.owed--) {
      const member = this.members[this.next++ % this.members.length]!;
      const pingId = (this.pingIds.get(member) ?? 0) + 1;
      this.pingIds.set(member, pingId);
      const reports = this.heardBy(member).map((ssrc) => ({ ssrc, lossPermille: 0, jitterMs: 0 }));
      member.transport.send(member.sealer!.seal({ kind: 'ping', pingId, reports }));
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
