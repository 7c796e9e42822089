import type { RemoteInfo, Socket } from 'node:dgram';
import type { Logger } from 'pino';
import { LIMITS, packFlags, PROTOCOL_VERSION, unpackFlags } from '../protocol/constants.js';
import {
  decodeControl,
  encodeControl,
  encodeSealedHeader,
  isControl,
  MAX_SEALED_PLAINTEXT,
  peekHelloOfOtherVersion,
  type Join,
  type RejectCodeName,
  type Sealed,
} from '../protocol/control.js';
import {
  constantTimeEqual,
  controlNonce,
  CookieIssuer,
  deriveSessionKeys,
  generateEphemeralKeyPair,
  joinProof,
  PROOF_BYTES,
  randomBytes,
  seal,
  sharedSecret,
  welcomeProof,
} from '../protocol/crypto.js';
import { ProtocolError, type DropReason } from '../protocol/errors.js';
import { isValidDisplayName, isValidRoomName } from '../protocol/names.js';
import { isRtp, RTP_HEADER_BYTES } from '../protocol/rtp.js';
import { SealedReceiver, SealedSender } from '../protocol/sealed-channel.js';
import {
  encodeSessionMessage,
  LOSS_UNKNOWN,
  paginateRoster,
  type ByeReasonName,
  type SessionMessage,
} from '../protocol/session-messages.js';
import { formatAddress } from '../shared/address.js';
import type { Clock } from '../shared/clock.js';
import { admitToRoom, type KeptSecret } from './admission.js';
import { RelayCounters, snapshotStats, type RelayStats } from './counters.js';
import { HandshakeBudget } from './handshake-budget.js';
import { Member } from './member.js';
import { hellosPerSecond, type ResolvedRelayOptions } from './options.js';
import { PasswordLockout } from './password-lockout.js';
import { PerAddressBudget } from './per-address-budget.js';
import { RecentlyUsed } from './recently-used.js';
import { RefusalSummary } from './refusal-summary.js';
import { Room } from './room.js';
import { roomsDueForRefresh } from './roster-refresh.js';

export interface RoomSummary {
  name: string;
  encrypted: boolean;
  members: { id: number; name: string; muted: boolean; deafened: boolean; talking: boolean }[];
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** How long a member that left is remembered: its second LEAVE, or a late datagram, arrives well within this. */
const LEFT_MEMBER_MEMORY_MS = 5_000;

export interface RelaySecrets {
  /** scrypt(password, relaySalt), computed once at start; null when no password is set. */
  passwordKey: Buffer | null;
  relaySalt: Buffer;
  /** Rooms whose secret a hosting app handed to its own relay, by room name. */
  keptSecrets: ReadonlyMap<string, KeptSecret>;
}


/**
 * The relay's state machine over one UDP socket: admits members through the
 * cookie handshake, forwards each member's media to the rest of its room,
 * answers their sealed control messages and forgets the silent ones. The
 * socket handler catches everything: no datagram can take the relay down.
 */
export class Relay {
  readonly counters = new RelayCounters();
  private readonly rooms = new Map<string, Room>();
  private readonly members = new Map<number, Member>();
  /**
   * The client nonce of every join admitted within a cookie's lifetime, to
   * its member id: a retried JOIN gets the same WELCOME while the member
   * still waits for it, and any later copy is a replay that admits nobody.
   */
  private readonly joinedNonces: RecentlyUsed<string, number>;
  /** Members that left cleanly, for LEFT_MEMBER_MEMORY_MS, by id: what they still send is theirs, not a lost session's. */
  private readonly recentlyLeft: RecentlyUsed<number, Member>;
  private readonly cookies: CookieIssuer;
  private readonly joinBudget: HandshakeBudget;
  private readonly helloBudget: HandshakeBudget;
  private readonly lockout: PasswordLockout;
  private readonly refusals: RefusalSummary;
  private readonly unverifiedSealedBudget: PerAddressBudget;
  private readonly clock: Clock;
  private readonly log: Logger;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private readonly passwordKey: Buffer | null;
  private readonly relaySalt: Buffer;
  private readonly keptSecrets: ReadonlyMap<string, KeptSecret>;

  constructor(
    private readonly socket: Socket,
    private readonly options: ResolvedRelayOptions,
    secrets: RelaySecrets,
    clock: Clock,
    log: Logger,
  ) {
    this.clock = clock;
    this.log = log;
    this.passwordKey = secrets.passwordKey;
    this.relaySalt = secrets.relaySalt;
    this.keptSecrets = secrets.keptSecrets;
    const now = clock.now();
    this.cookies = new CookieIssuer(options.cookiePeriodMs);
    const { perAddress } = options;
    this.joinBudget = new HandshakeBudget(perAddress.joins, options.joinsPerSecond, perAddress.maxAddresses, now);
    this.helloBudget = new HandshakeBudget(perAddress.hellos, hellosPerSecond(options), perAddress.maxAddresses, now);
    this.lockout = new PasswordLockout(options.passwordLockout, perAddress.maxAddresses);
    this.refusals = new RefusalSummary(log, now);
    // At most as many as can leave in LEFT_MEMBER_MEMORY_MS, and joins are rate-limited; the cap only bounds the worst case.
    this.recentlyLeft = new RecentlyUsed(options.maxMembers);
    // A cookie lives two periods, and joins are rate-limited relay-wide: this many fit, so none is forgotten early.
    this.joinedNonces = new RecentlyUsed(Math.ceil(options.joinsPerSecond * ((2 * options.cookiePeriodMs) / 1000 + 1)));
    this.unverifiedSealedBudget = new PerAddressBudget(perAddress.unverifiedSealed, perAddress.maxAddresses);
    socket.on('message', (datagram, remote) => this.onDatagram(datagram, remote));
    // Sends without a callback report failures (ENOBUFS, EPERM from a firewall) here; count, never crash.
    socket.on('error', (error) => {
      this.counters.sendErrors++;
      this.log.warn({ err: error }, 'socket error');
    });
    this.maintenanceTimer = setInterval(() => this.maintain(), options.maintenanceIntervalMs);
    this.maintenanceTimer.unref();
  }

  // -------------------------------------------------------------------------
  // Demultiplexing

  private onDatagram(datagram: Buffer, remote: RemoteInfo): void {
    try {
      this.counters.bytesIn += datagram.length;
      if (datagram.length > LIMITS.maxDatagramBytes) {
        this.counters.packetsIn.control++;
        this.counters.drop('oversized');
      } else if (isRtp(datagram)) {
        this.counters.packetsIn.media++;
        this.onMedia(datagram, remote);
      } else {
        this.counters.packetsIn.control++;
        if (isControl(datagram)) this.onControl(datagram, remote);
        else this.counters.drop(datagram.length === 0 ? 'truncated' : 'unknown_type');
      }
    } catch (error) {
      // Decoders throw ProtocolError for bad input; anything else is our bug, logged but still contained.
      if (error instanceof ProtocolError) {
        this.counters.drop(error.reason);
      } else {
        this.counters.drop('malformed');
        this.log.error({ err: error, from: remote.address }, 'unexpected error handling a datagram');
      }
    }
  }

  // -------------------------------------------------------------------------
  // Media: the hot path. No allocation beyond what dgram does per send.

  private onMedia(datagram: Buffer, remote: RemoteInfo): void {
    if (datagram.length < RTP_HEADER_BYTES) return this.counters.drop('truncated');
    const ssrc = datagram.readUInt32BE(8);
    const sender = this.members.get(ssrc);
    if (!sender) return this.counters.drop('unknown_ssrc');
    if (!sender.isAt(remote.address, remote.port)) return this.refuseFromOtherAddress(sender, datagram, remote);
    const now = this.clock.now();
    if (!this.withinBudget(sender, datagram.length, now)) return;
    sender.lastHeardAt = now;
    if (sender.flags.muted) return this.counters.drop('not_allowed');
    sender.uplinkLoss.onPacket(datagram.readUInt16BE(2));
    const members = sender.room.members;
    for (let i = 0; i < members.length; i++) {
      const listener = members[i]!;
      // Never back to the sender; a deafened member asked not to receive audio.
      if (listener === sender || listener.flags.deafened) continue;
      this.socket.send(datagram, listener.port, listener.address);
      this.counters.mediaForwarded++;
      this.counters.bytesOut += datagram.length;
    }
  }

  /**
   * Media under a member's id from an address not its own is dropped, and its sender told so
   * (UNKNOWN_ADDRESS, a few times a second at most): a client that a NAT rebinding moved then
   * proves itself with a sealed message, which moves it, at once rather than at its next ping.
   */
  private refuseFromOtherAddress(member: Member, datagram: Buffer, remote: RemoteInfo): void {
    this.counters.drop('address_mismatch');
    if (!member.addressNotices.take(this.clock.now())) return;
    this.sendControl(encodeControl({ type: 'unknownAddress', memberId: member.id, sequence: datagram.readUInt16BE(2) }), remote);
  }

  private withinBudget(member: Member, bytes: number, now: number): boolean {
    if (member.packetBudget.take(now) && member.byteBudget.take(now, bytes)) return true;
    this.counters.drop('rate_limited');
    return false;
  }

  // -------------------------------------------------------------------------
  // Control

  private onControl(datagram: Buffer, remote: RemoteInfo): void {
    let message;
    try {
      message = decodeControl(datagram);
    } catch (error) {
      if (error instanceof ProtocolError && error.reason === 'bad_version') this.answerOtherVersion(datagram, remote);
      throw error;
    }
    switch (message.type) {
      case 'hello':
        return this.onHello(message.clientNonce, remote);
      case 'join':
        return this.onJoin(message, remote);
      case 'sealed':
        return this.onSealed(message, remote);
      default:
        // COOKIE, WELCOME, REJECT and UNKNOWN_SESSION flow relay → client only.
        return this.counters.drop('not_allowed');
    }
  }

  /** A client of another protocol version gets a REJECT naming ours, no bigger than its HELLO. */
  private answerOtherVersion(datagram: Buffer, remote: RemoteInfo): void {
    const clientNonce = peekHelloOfOtherVersion(datagram);
    if (!clientNonce || !this.helloBudget.take(remote.address, this.clock.now())) return;
    this.sendControl(encodeControl({ type: 'reject', clientNonce, code: 'versionMismatch', relayVersion: PROTOCOL_VERSION }), remote);
  }

  private onHello(clientNonce: Uint8Array, remote: RemoteInfo): void {
    const now = this.clock.now();
    if (!this.helloBudget.take(remote.address, now)) return this.counters.drop('rate_limited');
    const cookie = this.cookies.issue(Date.now(), remote.address, remote.port, clientNonce);
    this.sendControl(
      encodeControl({ type: 'cookie', clientNonce, cookie, relaySalt: this.relaySalt, passwordRequired: this.passwordKey !== null }),
      remote,
    );
  }

  /** Counted one by one, logged only in a periodic summary: a flood of refusals must not fill the disk. */
  private reject(join: Join, code: RejectCodeName, remote: RemoteInfo): void {
    this.counters.refuse(code);
    this.refusals.note(code, remote.address);
    this.log.debug({ from: remote.address, room: join.room, name: join.name, code }, 'join refused');
    this.sendControl(encodeControl({ type: 'reject', clientNonce: join.clientNonce, code, relayVersion: PROTOCOL_VERSION }), remote);
  }

  private onJoin(join: Join, remote: RemoteInfo): void {
    // Wall-clock time for cookies: they must survive nothing but a short round trip, and Date.now is what both periods agree on.
    if (!this.cookies.verify(Date.now(), remote.address, remote.port, join.clientNonce, join.cookie)) {
      this.counters.drop('bad_cookie');
      // The reply is smaller than the JOIN, so even a spoofed source gains no amplification.
      return this.sendControl(encodeControl({ type: 'reject', clientNonce: join.clientNonce, code: 'badCookie', relayVersion: PROTOCOL_VERSION }), remote);
    }
    const nonceKey = hex(join.clientNonce);
    const earlier = this.joinedNonces.peek(nonceKey);
    if (earlier !== undefined) return this.onRepeatedJoin(earlier, remote);
    const now = this.clock.now();
    if (!this.joinBudget.take(remote.address, now)) return this.reject(join, 'busy', remote);
    if (!isValidRoomName(join.room)) return this.reject(join, 'invalidRoom', remote);
    if (!isValidDisplayName(join.name)) return this.reject(join, 'invalidName', remote);
    const passwordRefusal = this.checkPassword(join, remote, now);
    if (passwordRefusal) return this.reject(join, passwordRefusal, remote);
    let room = this.rooms.get(join.room);
    const admission = admitToRoom(join, room?.publicKey, this.keptSecrets.get(join.room));
    if (!admission) return this.reject(join, 'secretMismatch', remote);
    if (room) {
      if (room.members.length >= this.options.maxMembersPerRoom) return this.reject(join, 'roomFull', remote);
    } else if (this.rooms.size >= this.options.maxRooms) {
      return this.reject(join, 'relayFull', remote);
    }
    if (this.members.size >= this.options.maxMembers) return this.reject(join, 'relayFull', remote);

    const relayKeys = generateEphemeralKeyPair();
    const shared = sharedSecret(relayKeys.privateKey, join.clientPublicKey);
    if (!shared) return this.counters.drop('malformed');
    const keys = deriveSessionKeys(shared, {
      cookie: join.cookie,
      clientNonce: join.clientNonce,
      clientPublicKey: join.clientPublicKey,
      relayPublicKey: relayKeys.publicKey,
    });
    const memberId = this.newMemberId();
    const info = encodeSessionMessage({
      kind: 'welcomeInfo',
      pingIntervalMs: this.options.pingIntervalMs,
      memberTimeoutMs: this.options.memberTimeoutMs,
      maxMembersPerRoom: this.options.maxMembersPerRoom,
      relayProof: this.passwordKey
        ? welcomeProof(this.passwordKey, join.clientNonce, join.clientPublicKey, relayKeys.publicKey)
        : Buffer.alloc(PROOF_BYTES),
      roomSecret: admission.handOverSecret,
    });
    const welcome = encodeControl({
      type: 'welcome',
      clientNonce: join.clientNonce,
      relayPublicKey: relayKeys.publicKey,
      memberId,
      sealedInfo: seal(keys.relayToClient, controlNonce(0), info, encodeSealedHeader(memberId, 0)),
    });

    if (!room) {
      room = new Room(join.room, admission.roomPublicKey, now);
      this.rooms.set(room.name, room);
    }
    const member = new Member({
      id: memberId,
      name: join.name,
      room,
      address: remote.address,
      port: remote.port,
      flags: { ...unpackFlags(join.flags), talking: false },
      mediaSalt: join.mediaSalt,
      sender: new SealedSender(keys.relayToClient, memberId),
      receiver: new SealedReceiver(keys.clientToRelay),
      welcome,
      now,
      rateLimit: this.options.rateLimit,
    });
    this.members.set(memberId, member);
    this.joinedNonces.use(nonceKey, now, () => memberId);
    room.add(member);
    this.counters.joins++;
    this.log.info({ room: room.name, member: memberId, name: member.name, from: remote.address }, 'member joined');
    this.sendControl(welcome, remote);
    this.broadcastRoster(room, now);
  }

  /**
   * Null when the joiner may pass: the relay has no password, or the joiner
   * proved it. An address that sent too many wrong ones waits, unchecked.
   */
  private checkPassword(join: Join, remote: RemoteInfo, now: number): RejectCodeName | null {
    if (!this.passwordKey) return null;
    if (this.lockout.isBlocked(remote.address, now)) return 'tooManyAttempts';
    if (!constantTimeEqual(joinProof(this.passwordKey, join), join.proof)) {
      this.lockout.noteWrongPassword(remote.address, now);
      return 'wrongPassword';
    }
    this.lockout.noteRightPassword(remote.address);
    return null;
  }

  /** A JOIN whose nonce was admitted already: a retry (our WELCOME was lost) gets it again; anything else is a replay. */
  private onRepeatedJoin(memberId: number, remote: RemoteInfo): void {
    const member = this.members.get(memberId);
    if (member?.welcome && member.isAt(remote.address, remote.port)) this.sendControl(member.welcome, remote);
    else this.counters.drop('replay');
  }

  private newMemberId(): number {
    for (;;) {
      const id = randomBytes(4).readUInt32BE(0);
      if (id !== 0 && !this.members.has(id) && !this.recentlyLeft.peek(id)) return id;
    }
  }

  private onSealed(envelope: Sealed, remote: RemoteInfo): void {
    const member = this.members.get(envelope.memberId);
    if (!member) return this.onSealedForAbsentMember(envelope, remote);
    const now = this.clock.now();
    const fromItsAddress = member.isAt(remote.address, remote.port);
    if (!this.budgetBeforeOpening(member, fromItsAddress, envelope, remote, now)) return;
    const message = member.receiver.open(envelope);
    // Authenticated: only now may a message from elsewhere spend the member's budget.
    if (!fromItsAddress && !this.withinBudget(member, envelope.ciphertext.length, now)) return;
    member.lastHeardAt = now;
    member.welcome = null;
    if (!fromItsAddress) this.roam(member, remote);
    this.onSessionMessage(member, message, now);
  }

  /**
   * A sealed message for a member id the relay does not hold. From a member
   * that has just left cleanly it is that member's own late message (clients
   * send LEAVE twice), taken in silence once it authenticates. Otherwise the
   * client most likely predates a relay restart: tell it to join again.
   */
  private onSealedForAbsentMember(envelope: Sealed, remote: RemoteInfo): void {
    const left = this.recentlyLeft.peek(envelope.memberId);
    if (left) {
      const now = this.clock.now();
      // Opening throws (bad_mac, replay) for anything that is not really the member's.
      if (this.budgetBeforeOpening(left, left.isAt(remote.address, remote.port), envelope, remote, now)) left.receiver.open(envelope);
      return;
    }
    // Tiny, so no amplification.
    this.sendControl(encodeControl({ type: 'unknownSession', memberId: envelope.memberId }), remote);
    this.counters.drop('unknown_member');
  }

  /**
   * What a sealed message spends before it is opened. From the member's own
   * address, the member's budget. From any other address it may be a forgery
   * (the member id is in clear in every RTP header), so it must not cost the
   * member anything: it spends its source address's budget instead.
   */
  private budgetBeforeOpening(member: Member, fromItsAddress: boolean, envelope: Sealed, remote: RemoteInfo, now: number): boolean {
    if (fromItsAddress) return this.withinBudget(member, envelope.ciphertext.length, now);
    if (this.unverifiedSealedBudget.take(remote.address, now)) return true;
    this.counters.drop('rate_limited');
    return false;
  }

  /** Only an authenticated, never-seen counter can move a member, so a replay cannot hijack it. */
  private roam(member: Member, remote: RemoteInfo): void {
    this.log.info({ member: member.id, from: formatAddress(member.address, member.port), to: formatAddress(remote.address, remote.port) }, 'member roamed');
    member.address = remote.address;
    member.port = remote.port;
    this.counters.roams++;
  }

  private onSessionMessage(member: Member, message: SessionMessage, now: number): void {
    switch (message.kind) {
      case 'ping': {
        for (const report of message.reports) {
          const source = this.members.get(report.ssrc);
          if (source && source.room === member.room && report.lossPermille !== LOSS_UNKNOWN) source.noteDownlinkLoss(report.lossPermille);
        }
        this.sendSealed(member, {
          kind: 'pong',
          pingId: message.pingId,
          uplinkLossPermille: member.uplinkLoss.takePermille(),
          downlinkLossPermille: member.takeDownlinkLoss(),
        });
        return;
      }
      case 'state': {
        const flags = unpackFlags(message.flags);
        const changed = packFlags(flags) !== packFlags(member.flags);
        member.flags = flags;
        if (changed) {
          const room = member.room;
          room.revision++;
          for (const other of room.members) {
            this.sendSealed(other, { kind: 'memberState', revision: room.revision, id: member.id, flags: message.flags });
          }
        }
        return;
      }
      case 'rosterRequest':
        for (const page of this.rosterPages(member.room)) this.sendSealed(member, page);
        return;
      case 'leave':
        this.counters.leaves++;
        this.log.info({ room: member.room.name, member: member.id, name: member.name }, 'member left');
        this.removeMember(member, now);
        this.recentlyLeft.use(member.id, now, () => member);
        return;
      default:
        // WELCOME info, PONG, ROSTER, MEMBER_STATE and BYE flow relay → client only.
        this.counters.drop('not_allowed');
    }
  }

  // -------------------------------------------------------------------------
  // Rosters and membership

  private rosterPages(room: Room): ReturnType<typeof paginateRoster> {
    return paginateRoster(
      room.revision,
      room.members.map((m) => ({ id: m.id, flags: packFlags(m.flags), mediaSalt: m.mediaSalt, name: m.name })),
      MAX_SEALED_PLAINTEXT,
    );
  }

  private broadcastRoster(room: Room, now: number): void {
    // ±25 % jitter: after a burst of joins (a relay restart) the refreshes spread out instead of all falling due in one tick.
    room.nextRosterAt = now + this.options.rosterIntervalMs * (0.75 + Math.random() * 0.5);
    const pages = this.rosterPages(room);
    for (const member of room.members) for (const page of pages) this.sendSealed(member, page);
  }

  private removeMember(member: Member, now: number): void {
    this.members.delete(member.id);
    const room = member.room;
    room.remove(member);
    if (room.members.length === 0) this.rooms.delete(room.name);
    else this.broadcastRoster(room, now);
  }

  private maintain(): void {
    try {
      const now = this.clock.now();
      const silent: Member[] = [];
      for (const member of this.members.values()) if (now - member.lastHeardAt > this.options.memberTimeoutMs) silent.push(member);
      for (const member of silent) {
        this.counters.timeouts++;
        this.log.info({ room: member.room.name, member: member.id, name: member.name }, 'member timed out');
        // It may still hear us even though we stopped hearing it: tell it why it is gone.
        this.sendSealed(member, { kind: 'bye', reason: 'timedOut' });
        this.removeMember(member, now);
      }
      this.forgetIdleAddresses(now);
      this.refusals.flushIfDue(now);
      this.recentlyLeft.forgetUnusedSince(now - LEFT_MEMBER_MEMORY_MS);
      this.joinedNonces.forgetUnusedSince(now - 2 * this.options.cookiePeriodMs);
      // Bound the work of one tick so a refresh never stalls forwarding for long; what is left waits a tick.
      for (const room of roomsDueForRefresh(this.rooms.values(), now)) this.broadcastRoster(room, now);
    } catch (error) {
      this.log.error({ err: error }, 'relay maintenance failed');
    }
  }

  /** Every per-address table sheds what it no longer needs, so none grows with the addresses it ever saw. */
  private forgetIdleAddresses(now: number): void {
    this.unverifiedSealedBudget.forgetIdle(now);
    this.joinBudget.forgetIdle(now);
    this.helloBudget.forgetIdle(now);
    this.lockout.forgetIdle(now);
  }

  // -------------------------------------------------------------------------
  // Output

  private sendSealed(member: Member, message: SessionMessage): void {
    this.sendTo(member.sender.seal(message), member.port, member.address);
  }

  private sendControl(datagram: Buffer, remote: RemoteInfo): void {
    this.sendTo(datagram, remote.port, remote.address);
  }

  private sendTo(datagram: Buffer, port: number, address: string): void {
    this.counters.controlSent++;
    this.counters.bytesOut += datagram.length;
    this.socket.send(datagram, port, address);
  }

  // -------------------------------------------------------------------------
  // Introspection and shutdown

  stats(): RelayStats {
    return snapshotStats(this.counters, this.rooms.size, this.members.size);
  }

  roomSummaries(): RoomSummary[] {
    return [...this.rooms.values()].map((room) => ({
      name: room.name,
      encrypted: room.encrypted,
      members: room.members.map((m) => ({ id: m.id, name: m.name, ...m.flags })),
    }));
  }

  /** Says goodbye to every member (so clients show "the host stopped hosting"), then stops. */
  shutdown(reason: ByeReasonName = 'relayShutdown'): void {
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    this.maintenanceTimer = undefined;
    for (const member of this.members.values()) this.sendSealed(member, { kind: 'bye', reason });
    this.members.clear();
    this.rooms.clear();
    this.joinedNonces.clear();
    this.recentlyLeft.clear();
  }
}

export type { DropReason };
