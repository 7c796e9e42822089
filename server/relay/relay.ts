import type { Socket } from 'node:dgram';
import type { Logger } from 'pino';
import { decodeControl } from '../protocol/control.js';
import { ProtocolError } from '../protocol/errors.js';
import type { ByeReasonName } from '../protocol/session-messages.js';
import type { Clock } from '../shared/clock.js';
import { RelayChat } from './chat/relay-chat.js';
import { addStats, RelayCounters, snapshotStats, type RelayStats } from './counters.js';
import { countDatagramError, sortDatagram, type DatagramHandlers } from './datagram-sort.js';
import type { Endpoint } from './endpoint.js';
import { Forwarder } from './forwarder.js';
import { Handshake, type RelaySecrets } from './handshake.js';
import type { Member } from './member.js';
import { Membership, type RoomSummary } from './membership.js';
import type { ResolvedRelayOptions } from './options.js';
import { Outbox } from './outbox.js';
import type { RelayContext } from './relay-context.js';
import { Rosters } from './rosters.js';
import { RoomDirectory } from './directory/room-directory.js';
import type { KeptSecret } from './admission.js';
import { SessionControl } from './session-control.js';
import type { WorkerHost, WorkerPool } from './workers/worker-pool.js';

/**
 * The relay over one UDP socket (and the frames of its streams, which the
 * stream listener passes to `receive`): tells each datagram's kind and hands it to
 * the unit for it (Forwarder for media, Handshake for admission,
 * SessionControl for members' sealed messages), and drives their upkeep. The
 * socket handler catches everything: no datagram can take the relay down.
 */
export class Relay {
  readonly counters: RelayCounters;
  private readonly membership: Membership;
  private readonly rosters: Rosters;
  private readonly directory: RoomDirectory;
  readonly chat: RelayChat<Member>;
  private readonly outbox: Outbox;
  private readonly forwarder: Forwarder;
  private readonly handshake: Handshake;
  private readonly sessions: SessionControl;
  private readonly handlers: DatagramHandlers;
  private workers: WorkerPool | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;

  constructor(
    socket: Socket,
    options: ResolvedRelayOptions,
    secrets: RelaySecrets,
    keptSecrets: ReadonlyMap<string, KeptSecret>,
    private readonly clock: Clock,
    private readonly log: Logger,
    counters: RelayCounters = new RelayCounters(),
  ) {
    this.counters = counters;
    this.membership = new Membership(options);
    this.outbox = new Outbox(socket, counters);
    this.rosters = new Rosters(this.outbox, options.rosterIntervalMs);
    // Messages are stamped with the wall clock (they are shown with the time of day); everything else runs on `clock`.
    this.chat = new RelayChat<Member>((member, message) => this.outbox.sealed(member, message), () => Math.floor(Date.now() / 1000));
    this.directory = new RoomDirectory({ rooms: () => this.membership.allRooms(), keptSecrets }, (member, message) => this.outbox.sealed(member, message));
    const context: RelayContext = {
      options,
      membership: this.membership,
      directory: this.directory,
      keptSecrets,
      rosters: this.rosters,
      chat: this.chat,
      outbox: this.outbox,
      counters,
      log,
    };
    this.forwarder = new Forwarder(this.membership, this.outbox, counters);
    this.handshake = new Handshake({ ...context, secrets, now: clock.now() });
    this.sessions = new SessionControl(context);
    this.handlers = {
      media: (datagram, remote) => this.forwarder.forward(datagram, remote, this.clock.now()),
      control: (datagram, remote) => this.onControl(datagram, remote),
    };
    socket.on('message', (datagram, remote) => this.receive(datagram, remote));
    // Sends without a callback report failures (ENOBUFS, EPERM from a firewall) here; count, never crash.
    socket.on('error', (error) => {
      counters.sendErrors++;
      log.warn({ err: error }, 'socket error');
    });
    this.maintenanceTimer = setInterval(() => this.maintain(), options.maintenanceIntervalMs);
    this.maintenanceTimer.unref();
  }

  /** One datagram, from the UDP socket or a frame of a stream: handled alike. Never throws. */
  receive(datagram: Buffer, remote: Endpoint): void {
    sortDatagram(datagram, remote, this.counters, this.log, this.handlers);
  }

  /**
   * A control datagram that another worker's socket received and counted in: handled as if it came here
   * (replies leave through this thread's socket, which shares the port). Never throws.
   */
  receiveControl(datagram: Buffer, remote: Endpoint): void {
    try {
      this.onControl(datagram, remote);
    } catch (error) {
      countDatagramError(this.counters, this.log, remote, error);
    }
  }

  private onControl(datagram: Buffer, remote: Endpoint): void {
    const now = this.clock.now();
    let message;
    try {
      message = decodeControl(datagram);
    } catch (error) {
      if (error instanceof ProtocolError && error.reason === 'bad_version') this.handshake.otherVersion(datagram, remote, now);
      throw error;
    }
    switch (message.type) {
      case 'hello':
        return this.handshake.hello(message.clientNonce, remote, now);
      case 'join':
        return this.handshake.join(message, remote, now);
      case 'sealed':
        return this.sessions.sealed(message, remote, now);
      default:
        // COOKIE, WELCOME, REJECT, UNKNOWN_SESSION and UNKNOWN_ADDRESS flow relay → client only.
        return this.counters.drop('not_allowed');
    }
  }

  private maintain(): void {
    try {
      const now = this.clock.now();
      this.sessions.maintain(now);
      this.handshake.maintain(now);
      this.chat.poll(now);
      this.directory.maintain(now);
      // Bound the work of one tick so a refresh never stalls forwarding for long; what is left waits a tick.
      this.rosters.refreshDue(this.membership.allRooms(), now);
    } catch (error) {
      this.log.error({ err: error }, 'relay maintenance failed');
    }
  }

  /** The relay's counts, its workers' included (as they last reported). */
  stats(): RelayStats {
    const own = this.ownStats();
    const workers = this.workers?.stats();
    return workers ? addStats(own, workers) : own;
  }

  /** What this thread alone counted: worker 0's share. */
  ownStats(): RelayStats {
    return snapshotStats(this.counters, this.membership.roomCount, this.membership.memberCount);
  }

  /** What forwarding workers on other threads need of this relay. */
  readonly workerHost: WorkerHost = {
    receiveControl: (datagram, remote) => this.receiveControl(datagram, remote),
    member: (id) => this.membership.member(id),
    members: () => this.membership.allMembers(),
    now: () => this.clock.now(),
  };

  /** From now on every change to membership reaches the workers' replicas, and their counts are part of the relay's. */
  useWorkers(pool: WorkerPool | undefined): void {
    this.workers = pool;
    this.membership.observer = pool;
  }

  roomSummaries(): RoomSummary[] {
    return this.membership.summaries();
  }

  /** Says goodbye to every member (so clients show "the host stopped hosting"), then stops. */
  shutdown(reason: ByeReasonName = 'relayShutdown'): void {
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    this.maintenanceTimer = undefined;
    this.tellEveryMember(reason);
    this.membership.clear();
    this.handshake.clear();
  }

  /** From now on every join is refused `draining`; each member is told, and is served on until it leaves. */
  beginDraining(): void {
    this.handshake.draining = true;
    this.tellEveryMember('draining');
  }

  private tellEveryMember(reason: ByeReasonName): void {
    for (const member of this.membership.allMembers()) this.outbox.sealed(member, { kind: 'bye', reason });
  }
}
