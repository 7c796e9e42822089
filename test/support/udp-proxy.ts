import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isRtp } from '../../server/protocol/rtp.js';
import type { Clock } from '../../server/shared/clock.js';
import { seededRandom } from './prng.js';

/**
 * What the network does to datagrams in one direction. Loss can be random or
 * bursty (a two-state Gilbert–Elliott chain); delay is a base plus uniform
 * jitter, which reorders packets whenever jitter exceeds their spacing.
 */
export interface Impairment {
  lossPct?: number;
  /** Bursty loss: chance per packet to enter and to leave the bad state, and loss while bad. */
  burst?: { enterPct: number; leavePct: number; lossPct: number };
  delayMs?: number;
  jitterMs?: number;
  duplicatePct?: number;
  /**
   * Impair RTP media only; control datagrams (handshake, pings, rosters) pass
   * untouched and draw no random numbers, so the media's fate depends on the
   * seed and the media alone, and the counters count media exactly.
   */
  mediaOnly?: boolean;
}

export type Direction = 'toRelay' | 'toClient';

export interface ProxyCounters {
  forwarded: number;
  dropped: number;
  duplicated: number;
}

interface ClientLink {
  address: string;
  port: number;
  upstream: Socket;
}

/**
 * A UDP proxy between clients and a relay, standing in for the network
 * (this machine's kernel has no netem). Each client gets its own upstream
 * socket, so the relay sees distinct addresses as it would in the wild.
 * Seeded: the same seed and traffic give the same impairments. Given a
 * clock, delays run on it instead of on timers: a delayed datagram waits
 * until the test, having moved the clock on, calls releaseDue().
 */
export class UdpProxy {
  readonly recorded: Record<Direction, Buffer[]> = { toRelay: [], toClient: [] };
  readonly counters: Record<Direction, ProxyCounters> = {
    toRelay: { forwarded: 0, dropped: 0, duplicated: 0 },
    toClient: { forwarded: 0, dropped: 0, duplicated: 0 },
  };
  record = false;
  private readonly links = new Map<string, ClientLink>();
  private readonly badState: Record<Direction, boolean> = { toRelay: false, toClient: false };
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Delayed datagrams waiting for the clock, in the order they arrived. */
  private held: { dueMs: number; deliver: () => void }[] = [];
  /**
   * One stream per direction for loss and one for delay and duplication, so
   * the n-th impaired datagram's fate depends only on the seed and n: not on
   * how traffic in the other direction interleaved, nor on the delays drawn.
   */
  private readonly lossRandom: Record<Direction, () => number>;
  private readonly shapeRandom: () => number;
  private closed = false;

  private constructor(
    private readonly listener: Socket,
    private readonly target: { host: string; port: number },
    private impairments: Record<Direction, Impairment>,
    seed: number,
    private readonly clock: Clock | undefined,
  ) {
    this.lossRandom = { toRelay: seededRandom(seed), toClient: seededRandom(seed + 1) };
    this.shapeRandom = seededRandom(seed + 2);
    listener.on('message', (datagram, remote) => this.fromClient(datagram, remote));
  }

  static async start(options: {
    target: { host: string; port: number };
    toRelay?: Impairment;
    toClient?: Impairment;
    seed?: number;
    /** Simulated time for the delays (see releaseDue); timers otherwise. */
    clock?: Clock;
  }): Promise<UdpProxy> {
    const listener = createSocket('udp4');
    await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', resolve));
    return new UdpProxy(listener, options.target, { toRelay: options.toRelay ?? {}, toClient: options.toClient ?? {} }, options.seed ?? 1, options.clock);
  }

  /** Datagrams held for the clock, not yet sent on. */
  get waiting(): number {
    return this.held.length;
  }

  /** With a clock: sends every held datagram whose delay has run out by its time, earliest due first; returns how many. */
  releaseDue(): number {
    const now = this.clock!.now();
    const due = this.held.filter((entry) => entry.dueMs <= now).sort((a, b) => a.dueMs - b.dueMs);
    this.held = this.held.filter((entry) => entry.dueMs > now);
    for (const entry of due) entry.deliver();
    return due.length;
  }

  get port(): number {
    return (this.listener.address() as AddressInfo).port;
  }

  setImpairment(direction: Direction, impairment: Impairment): void {
    this.impairments = { ...this.impairments, [direction]: impairment };
  }

  private fromClient(datagram: Buffer, remote: RemoteInfo): void {
    const key = `${remote.address}:${remote.port}`;
    let link = this.links.get(key);
    if (!link) {
      link = { address: remote.address, port: remote.port, upstream: this.openUpstream(remote.address, remote.port) };
      this.links.set(key, link);
    }
    const upstream = link.upstream;
    this.impair('toRelay', datagram, () => upstream.send(datagram, this.target.port, this.target.host));
  }

  /** The socket a client's datagrams leave by: the client's address as the relay sees it. */
  private openUpstream(clientAddress: string, clientPort: number): Socket {
    const upstream = createSocket('udp4');
    upstream.on('message', (reply) => this.impair('toClient', reply, () => this.listener.send(reply, clientPort, clientAddress)));
    upstream.bind(0, '127.0.0.1');
    return upstream;
  }

  /**
   * Gives every client a new public port, as a NAT rebinding does: from now
   * on their datagrams reach the relay from another address, and what the
   * relay sends to the old one is lost. The clients are not told.
   */
  rebindClients(): void {
    for (const link of this.links.values()) {
      link.upstream.close();
      link.upstream = this.openUpstream(link.address, link.port);
    }
  }

  private lose(direction: Direction): boolean {
    const impairment = this.impairments[direction];
    const random = this.lossRandom[direction];
    if (impairment.burst) {
      const { enterPct, leavePct, lossPct } = impairment.burst;
      if (this.badState[direction]) {
        if (random() * 100 < leavePct) this.badState[direction] = false;
      } else if (random() * 100 < enterPct) {
        this.badState[direction] = true;
      }
      if (this.badState[direction] && random() * 100 < lossPct) return true;
    }
    return random() * 100 < (impairment.lossPct ?? 0);
  }

  private impair(direction: Direction, datagram: Buffer, deliver: () => void): void {
    if (this.closed) return;
    if (this.record) this.recorded[direction].push(Buffer.from(datagram));
    if (this.impairments[direction].mediaOnly && !isRtp(datagram)) {
      deliver();
      return;
    }
    const counters = this.counters[direction];
    if (this.lose(direction)) {
      counters.dropped++;
      return;
    }
    const impairment = this.impairments[direction];
    const copies = this.shapeRandom() * 100 < (impairment.duplicatePct ?? 0) ? 2 : 1;
    if (copies === 2) counters.duplicated++;
    for (let copy = 0; copy < copies; copy++) {
      const delay = (impairment.delayMs ?? 0) + (impairment.jitterMs ?? 0) * (this.shapeRandom() * 2 - 1);
      counters.forwarded++;
      if (delay <= 0) {
        deliver();
      } else if (this.clock) {
        this.held.push({ dueMs: this.clock.now() + delay, deliver });
      } else {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!this.closed) deliver();
        }, delay);
        this.timers.add(timer);
      }
    }
  }

  /** Sends a datagram to the relay from the link of the client at `clientPort`, as a replaying attacker on the path would. */
  injectToRelay(datagram: Buffer, clientPort: number): void {
    const link = this.links.get(`127.0.0.1:${clientPort}`);
    if (!link) throw new Error(`no client at port ${clientPort} has used this proxy`);
    link.upstream.send(datagram, this.target.port, this.target.host);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held = [];
    for (const link of this.links.values()) link.upstream.close();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }
}
