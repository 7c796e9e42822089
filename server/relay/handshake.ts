import type { Endpoint } from './endpoint.js';
import type { Logger } from 'pino';
import { JoinFlag, PROTOCOL_VERSION, unpackFlags } from '../protocol/constants.js';
import { encodeControl, peekHelloOfOtherVersion, type Join, type RejectCodeName } from '../protocol/control.js';
import { constantTimeEqual, CookieIssuer, generateEphemeralKeyPair, joinProof } from '../protocol/crypto.js';
import { isValidDisplayName, isValidRoomName } from '../protocol/names.js';
import { SealedReceiver, SealedSender } from '../protocol/sealed-channel.js';
import { admitToRoom, entryOfJoin, type Admission } from './admission.js';
import type { RelayChat } from './chat/relay-chat.js';
import type { RelayCounters } from './counters.js';
import { HandshakeBudget } from './handshake-budget.js';
import { Member } from './member.js';
import type { Membership } from './membership.js';
import type { KeptSecret } from './admission.js';
import type { RoomDirectory } from './directory/room-directory.js';
import { Room } from './room.js';
import { hellosPerSecond, type ResolvedRelayOptions } from './options.js';
import type { Outbox } from './outbox.js';
import { PasswordLockout } from './password-lockout.js';
import { RecentlyUsed } from './recently-used.js';
import { RefusalSummary } from './refusal-summary.js';
import type { RelayContext } from './relay-context.js';
import type { Rosters } from './rosters.js';
import { composeWelcome } from './welcome.js';

export interface RelaySecrets {
  /** scrypt(password, relaySalt), computed once at start; null when no password is set. */
  passwordKey: Buffer | null;
  relaySalt: Buffer;
}

export interface HandshakeDeps extends RelayContext {
  secrets: RelaySecrets;
  now: number;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The room a JOIN names to browse the directory rather than enter a room (no valid room name is empty). */
const BROWSE = '';
const NO_SECRET: Admission = { roomPublicKey: new Uint8Array(32), handOverSecret: '' };

/**
 * Admission: HELLO → COOKIE → JOIN → WELCOME or REJECT. The stateless cookie
 * proves the joiner can receive at its address before the relay spends any
 * work on it; then the budgets, names, password, room secret and capacity
 * decide, in that order, and an admitted joiner becomes a member.
 */
export class Handshake {
  private readonly cookies: CookieIssuer;
  private readonly joinBudget: HandshakeBudget;
  private readonly helloBudget: HandshakeBudget;
  private readonly lockout: PasswordLockout;
  private readonly refusals: RefusalSummary;
  /**
   * The client nonce of every join admitted within a cookie's lifetime, to
   * its member id: a retried JOIN gets the same WELCOME while the member
   * still waits for it, and any later copy is a replay that admits nobody.
   */
  private readonly joinedNonces: RecentlyUsed<string, number>;
  /** Set once the relay drains: every join is refused `draining`, and its members stay until they leave. */
  draining = false;
  private readonly options: ResolvedRelayOptions;
  private readonly secrets: RelaySecrets;
  private readonly membership: Membership;
  private readonly directory: RoomDirectory;
  private readonly keptSecrets: ReadonlyMap<string, KeptSecret>;
  private readonly rosters: Rosters;
  private readonly chat: RelayChat<Member>;
  private readonly outbox: Outbox;
  private readonly counters: RelayCounters;
  private readonly log: Logger;

  constructor({ options, secrets, membership, directory, keptSecrets, rosters, chat, outbox, counters, log, now }: HandshakeDeps) {
    this.options = options;
    this.secrets = secrets;
    this.membership = membership;
    this.directory = directory;
    this.keptSecrets = keptSecrets;
    this.rosters = rosters;
    this.chat = chat;
    this.outbox = outbox;
    this.counters = counters;
    this.log = log;
    this.cookies = new CookieIssuer(options.cookiePeriodMs);
    const { perAddress } = options;
    this.joinBudget = new HandshakeBudget(perAddress.joins, options.joinsPerSecond, perAddress.maxAddresses, now);
    this.helloBudget = new HandshakeBudget(perAddress.hellos, hellosPerSecond(options), perAddress.maxAddresses, now);
    this.lockout = new PasswordLockout(options.passwordLockout, perAddress.maxAddresses);
    this.refusals = new RefusalSummary(log, now);
    // A cookie lives two periods, and joins are rate-limited relay-wide: this many fit, so none is forgotten early.
    this.joinedNonces = new RecentlyUsed(Math.ceil(options.joinsPerSecond * ((2 * options.cookiePeriodMs) / 1000 + 1)));
  }

  hello(clientNonce: Uint8Array, remote: Endpoint, now: number): void {
    if (!this.helloBudget.take(remote.address, now)) return this.counters.drop('rate_limited');
    // Wall-clock time for cookies: they must survive nothing but a short round trip, and Date.now is what both periods agree on.
    const cookie = this.cookies.issue(Date.now(), remote.address, remote.port, clientNonce);
    const { relaySalt, passwordKey } = this.secrets;
    this.outbox.control(encodeControl({ type: 'cookie', clientNonce, cookie, relaySalt, passwordRequired: passwordKey !== null }), remote);
  }

  /** A client of another protocol version gets a REJECT naming ours, no bigger than its HELLO. */
  otherVersion(datagram: Buffer, remote: Endpoint, now: number): void {
    const clientNonce = peekHelloOfOtherVersion(datagram);
    if (!clientNonce || !this.helloBudget.take(remote.address, now)) return;
    this.outbox.control(encodeControl({ type: 'reject', clientNonce, code: 'versionMismatch', relayVersion: PROTOCOL_VERSION }), remote);
  }

  join(join: Join, remote: Endpoint, now: number): void {
    if (!this.cookies.verify(Date.now(), remote.address, remote.port, join.clientNonce, join.cookie)) {
      this.counters.drop('bad_cookie');
      // The reply is smaller than the JOIN, so even a spoofed source gains no amplification.
      return this.outbox.control(encodeControl({ type: 'reject', clientNonce: join.clientNonce, code: 'badCookie', relayVersion: PROTOCOL_VERSION }), remote);
    }
    const earlier = this.joinedNonces.peek(hex(join.clientNonce));
    if (earlier !== undefined) return this.repeatedJoin(earlier, remote);
    const refusal = this.screen(join, remote, now);
    if (refusal) return this.reject(join, refusal, remote);
    if (join.room === BROWSE) return this.admitToBrowse(join, remote, now);
    const admission = admitToRoom(entryOfJoin(join), this.membership.room(join.room)?.publicKey, this.keptSecrets.get(join.room));
    if (!admission) return this.reject(join, 'secretMismatch', remote);
    const full = this.membership.capacityRefusal(join.room);
    if (full) return this.reject(join, full, remote);
    this.admit(join, admission, remote, now);
  }

  /**
   * A JOIN that names no room comes to read the directory (a picker before it joins one, or a bot): a
   * session of its own outside every room, sent the directory and its changes, that may then move into a
   * room. Unless the relay keeps its rooms private.
   */
  private admitToBrowse(join: Join, remote: Endpoint, now: number): void {
    if (this.options.privateRooms) return this.reject(join, 'roomsPrivate', remote);
    if (this.membership.memberCount >= this.options.maxMembers) return this.reject(join, 'relayFull', remote);
    const member = this.admit(join, NO_SECRET, remote, now, Room.outside(now));
    if (member) this.directory.request(member, true, now);
  }

  /** Per-address table upkeep, and the periodic summary of refusals. */
  maintain(now: number): void {
    this.joinBudget.forgetIdle(now);
    this.helloBudget.forgetIdle(now);
    this.lockout.forgetIdle(now);
    this.refusals.flushIfDue(now);
    this.joinedNonces.forgetUnusedSince(now - 2 * this.options.cookiePeriodMs);
  }

  clear(): void {
    this.joinedNonces.clear();
  }

  /** What refuses a joiner before its room is looked at: a draining relay, the address's join budget, its names, the password. */
  private screen(join: Join, remote: Endpoint, now: number): RejectCodeName | null {
    if (this.draining) return 'draining';
    if (!this.joinBudget.take(remote.address, now)) return 'busy';
    if (join.room !== BROWSE && !isValidRoomName(join.room)) return 'invalidRoom';
    if (!isValidDisplayName(join.name)) return 'invalidName';
    return this.checkPassword(join, remote, now);
  }

  /**
   * Null when the joiner may pass: the relay has no password, or the joiner
   * proved it. An address that sent too many wrong ones waits, unchecked.
   */
  private checkPassword(join: Join, remote: Endpoint, now: number): RejectCodeName | null {
    const { passwordKey } = this.secrets;
    if (!passwordKey) return null;
    if (this.lockout.isBlocked(remote.address, now)) return 'tooManyAttempts';
    if (!constantTimeEqual(joinProof(passwordKey, join), join.proof)) {
      this.lockout.noteWrongPassword(remote.address, now);
      return 'wrongPassword';
    }
    this.lockout.noteRightPassword(remote.address);
    return null;
  }

  /** The joiner becomes a member: WELCOME first, so it holds its keys before the roster that names it arrives. */
  private admit(join: Join, admission: Admission, remote: Endpoint, now: number, outside?: Room): Member | undefined {
    const memberId = this.membership.newMemberId();
    const relayKeys = generateEphemeralKeyPair();
    const welcome = composeWelcome({
      join,
      memberId,
      relayKeys,
      admission,
      passwordKey: this.secrets.passwordKey,
      terms: this.options,
    });
    if (!welcome) {
      this.counters.drop('malformed');
      return undefined;
    }
    const member = new Member({
      id: memberId,
      name: join.name,
      room: outside ?? this.membership.openRoom(join.room, admission.roomPublicKey, now, (join.flags & JoinFlag.hiddenRoom) !== 0),
      sessionBinding: { clientNonce: join.clientNonce, relayPublicKey: relayKeys.publicKey },
      address: remote.address,
      port: remote.port,
      stream: remote.stream,
      flags: { ...unpackFlags(join.flags), talking: false },
      mediaSalt: join.mediaSalt,
      sender: new SealedSender(welcome.keys.relayToClient, memberId),
      receiver: new SealedReceiver(welcome.keys.clientToRelay),
      welcome: welcome.datagram,
      now,
      rateLimit: this.options.rateLimit,
    });
    this.membership.add(member);
    this.joinedNonces.use(hex(join.clientNonce), now, () => memberId);
    this.counters.joins++;
    this.log.info({ room: member.room.name, member: memberId, name: member.name, from: remote.address }, 'member joined');
    this.outbox.control(welcome.datagram, remote);
    if (outside) return member;
    this.rosters.broadcast(member.room, now);
    this.chat.joined(member, now);
    this.directory.changed();
    return member;
  }

  /** A JOIN whose nonce was admitted already: a retry (our WELCOME was lost) gets it again; anything else is a replay. */
  private repeatedJoin(memberId: number, remote: Endpoint): void {
    const member = this.membership.member(memberId);
    if (member?.welcome && member.isAt(remote)) this.outbox.control(member.welcome, remote);
    else this.counters.drop('replay');
  }

  /** Counted one by one, logged only in a periodic summary: a flood of refusals must not fill the disk. */
  private reject(join: Join, code: RejectCodeName, remote: Endpoint): void {
    this.counters.refuse(code);
    this.refusals.note(code, remote.address);
    this.log.debug({ from: remote.address, room: join.room, name: join.name, code }, 'join refused');
    this.outbox.control(encodeControl({ type: 'reject', clientNonce: join.clientNonce, code, relayVersion: PROTOCOL_VERSION }), remote);
  }
}
