import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import { packFlags, type MemberFlags } from '../../server/protocol/constants.js';
import { decodeControl, isControl } from '../../server/protocol/control.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { isValidDisplayName, isValidRoomName, normalizeName } from '../../server/protocol/names.js';
import { decodeRtp, isRtp, type RtpHeader } from '../../server/protocol/rtp.js';
import type { ReceiverReport, SessionMessage } from '../../server/protocol/session-messages.js';
import { systemClock, type Clock } from '../../server/shared/clock.js';
import { DEFAULT_HANDSHAKE_TIMING, performHandshake, type HandshakeTiming, type JoinedSession } from './handshake.js';
import { JoinError } from './join-error.js';
import { Keepalive } from './keepalive.js';
import { MediaChannel } from './media-channel.js';
import { RoamRecovery } from './roam-recovery.js';
import type { PeerInfo } from './roster.js';
import { RosterSync, type RosterChange } from './roster-sync.js';
import { UdpTransport, type RelayAddress } from './udp-transport.js';

export type DisconnectReason = 'connectionLost' | 'relayClosed' | 'sessionExpired';

export type SessionStatus =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'reconnecting'; reason: DisconnectReason; attempt: number; retryInMs: number; lastError?: string }
  | { state: 'closed'; reason: 'left' | 'failed'; error?: JoinError };

export interface MediaArrival {
  peerId: number;
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  /** 48-bit packet index (sequence extended across wraps). */
  index: number;
  payload: Uint8Array;
  arrivalMs: number;
}

export interface LinkReport {
  rttMs: number;
  /** Tenths of a percent; LOSS_UNKNOWN when nothing was measured. */
  uplinkLossPermille: number;
  downlinkLossPermille: number;
}

export interface SessionEvents {
  status: [SessionStatus];
  roster: [PeerInfo[]];
  media: [MediaArrival];
  link: [LinkReport];
}

export interface SessionOptions {
  relay: RelayAddress;
  room: string;
  name: string;
  password?: string | undefined;
  /** The room secret from the invite: media is end-to-end encrypted with a key derived from it. */
  secret?: string | undefined;
  flags?: Partial<MemberFlags>;
  clock?: Clock;
  logger?: Logger;
  handshake?: HandshakeTiming;
  /** Backoff between reconnect attempts, doubling from the first to the last value. */
  reconnectDelaysMs?: { initial: number; max: number };
  /** The engine's per-peer loss and jitter, sent with each ping so senders learn how they are heard. */
  receiverReports?: () => ReceiverReport[];
}

/**
 * One client's membership of one room on one relay: the handshake, the
 * sealed control channel, the roster, keepalive with RTT, end-to-end media
 * sealing, and reconnection with backoff when the relay restarts or the
 * network changes. It knows nothing of audio: it moves sealed RTP payloads.
 */
export class RelaySession extends EventEmitter<SessionEvents> {
  private joined!: JoinedSession;
  private media!: MediaChannel;
  private readonly roster = new RosterSync();
  private readonly roamRecovery = new RoamRecovery();
  private flags: MemberFlags;
  private currentStatus: SessionStatus = { state: 'connecting' };
  private readonly keepalive = new Keepalive();
  private pingTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private reconnectAbort: AbortController | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;

  private constructor(
    private readonly transport: UdpTransport,
    private readonly options: SessionOptions,
  ) {
    super();
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.flags = { muted: false, deafened: false, talking: false, ...options.flags };
    transport.onError((error) => this.log.debug({ err: error }, 'udp error'));
  }

  /** Joins or throws a JoinError whose message can be shown to the user as is. */
  static async connect(requested: SessionOptions): Promise<RelaySession> {
    // Names are compared as the relay stores them; normalising here turns "Café " typed anywhere into one room.
    const options = { ...requested, room: normalizeName(requested.room), name: normalizeName(requested.name) };
    if (!isValidRoomName(options.room)) throw new JoinError('invalidRoom');
    if (!isValidDisplayName(options.name)) throw new JoinError('invalidName');
    let transport: UdpTransport;
    try {
      transport = await UdpTransport.open(options.relay);
    } catch (error) {
      throw new JoinError('unreachable', (error as Error).message);
    }
    const session = new RelaySession(transport, options);
    try {
      await session.join();
    } catch (error) {
      transport.close();
      throw error;
    }
    return session;
  }

  private async join(signal?: AbortSignal): Promise<void> {
    this.media = await MediaChannel.create(this.options.secret, this.options.room);
    this.joined = await performHandshake(
      this.transport,
      {
        room: this.options.room,
        name: this.options.name,
        password: this.options.password,
        keyId: this.media.keyId,
        mediaSalt: this.media.mediaSalt,
        flags: packFlags(this.flags),
      },
      this.options.handshake ?? DEFAULT_HANDSHAKE_TIMING,
      signal,
    );
    // Joined by plain address a room whose hosting relay keeps its secret: the secret came sealed in WELCOME.
    // Deriving the key takes a moment; hold what arrives meanwhile (the first roster, say) and play it after.
    const held: Buffer[] = [];
    if (!this.media.encrypted && this.joined.info.roomSecret !== '') {
      this.transport.onDatagram((datagram) => held.length < 256 && held.push(datagram));
      this.media = await MediaChannel.create(this.joined.info.roomSecret, this.options.room, this.media.mediaSalt);
    }
    this.roster.restart(this.joined.memberId);
    this.keepalive.restart(this.joined.info.pingIntervalMs, this.clock.now());
    this.roamRecovery.clear();
    this.transport.onDatagram((datagram) => this.onDatagram(datagram));
    this.setStatus({ state: 'connected' });
    for (const datagram of held) this.onDatagram(datagram);
    this.startPinging();
    this.log.info({ memberId: this.joined.memberId, room: this.options.room }, 'joined');
  }

  // -------------------------------------------------------------------------
  // Public surface

  /** Our SSRC, assigned by the relay at join. Changes after a reconnect. */
  get memberId(): number {
    return this.joined.memberId;
  }

  get encrypted(): boolean {
    return this.media.encrypted;
  }

  get status(): SessionStatus {
    return this.currentStatus;
  }

  get peers(): PeerInfo[] {
    return this.roster.peers;
  }

  /** The local UDP port (it changes on roam). */
  get localPort(): number | undefined {
    return this.transport.localPort;
  }

  get ownFlags(): MemberFlags {
    return { ...this.flags };
  }

  get pingIntervalMs(): number {
    return this.keepalive.intervalMs;
  }

  /** Smoothed round-trip time to the relay, undefined until the first PONG. */
  get rttMs(): number | undefined {
    return this.keepalive.rttMs;
  }

  get transportStats(): { sent: number; bytesSent: number; received: number; bytesReceived: number } {
    const { sent, bytesSent, received, bytesReceived } = this.transport;
    return { sent, bytesSent, received, bytesReceived };
  }

  setFlags(change: Partial<MemberFlags>): void {
    const next = { ...this.flags, ...change };
    if (packFlags(next) === packFlags(this.flags)) return;
    this.flags = next;
    this.sendState();
  }

  /** Seals and sends one RTP packet of ours; silently skipped while not connected. */
  sendMedia(header: Omit<RtpHeader, 'ssrc'>, payload: Uint8Array): void {
    if (this.currentStatus.state !== 'connected') return;
    const datagram = this.media.seal({ ...header, ssrc: this.joined.memberId }, payload);
    this.transport.send(datagram);
    this.roamRecovery.recordSent(header.sequence, datagram, this.clock.now());
  }

  /** Moves to a new local port, as switching networks does; the session keeps its place. */
  async roam(): Promise<void> {
    await this.transport.rebind();
    // Tell the relay at once so media flows to the new address without waiting for the next ping.
    this.sendPing();
  }

  async leave(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reconnectAbort?.abort();
    this.stopTimers();
    if (this.currentStatus.state === 'connected') {
      // Twice, because a lost LEAVE costs the others a 15 s ghost.
      this.sendSealed({ kind: 'leave' });
      this.sendSealed({ kind: 'leave' });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.transport.close();
    this.setStatus({ state: 'closed', reason: 'left' });
  }

  // -------------------------------------------------------------------------
  // Incoming

  private onDatagram(datagram: Buffer): void {
    try {
      if (isRtp(datagram)) this.onMedia(datagram);
      else if (isControl(datagram)) this.onControl(datagram);
    } catch (error) {
      if (!(error instanceof ProtocolError)) this.log.error({ err: error }, 'unexpected error handling a datagram');
      else this.log.debug({ reason: error.reason, detail: error.message }, 'dropped datagram');
    }
  }

  private onMedia(datagram: Buffer): void {
    const packet = decodeRtp(datagram);
    const peer = this.roster.peer(packet.ssrc);
    if (!peer) {
      // Media can outrun the roster update announcing its sender: ask for the roster, at most once a second.
      this.requestRoster();
      return;
    }
    const opened = this.media.open(packet, peer.mediaSalt);
    const now = this.clock.now();
    this.keepalive.heard(now);
    this.emit('media', {
      peerId: peer.id,
      marker: packet.marker,
      payloadType: packet.payloadType,
      sequence: packet.sequence,
      timestamp: packet.timestamp,
      index: opened.index,
      payload: opened.payload,
      arrivalMs: now,
    });
  }

  private onControl(datagram: Buffer): void {
    const message = decodeControl(datagram);
    if (message.type === 'unknownSession') {
      if (message.memberId === this.joined.memberId) this.lostSession('sessionExpired');
      return;
    }
    if (message.type === 'unknownAddress') {
      if (message.memberId === this.joined.memberId) this.followToNewAddress(message.sequence);
      return;
    }
    if (message.type !== 'sealed' || message.memberId !== this.joined.memberId) return;
    const inner = this.joined.receiver.open(message);
    this.keepalive.heard(this.clock.now());
    this.onSessionMessage(inner);
  }

  /** The relay refused our media from the address it now arrives from: a NAT moved us without our knowing. */
  private followToNewAddress(refusedSequence: number): void {
    if (this.currentStatus.state !== 'connected') return;
    const { ping, resend } = this.roamRecovery.onRefused(refusedSequence, this.clock.now());
    if (ping) {
      this.log.info({ memberId: this.joined.memberId }, 'the relay has us at another address; proving ourselves');
      this.sendPing();
    }
    for (const datagram of resend) this.transport.send(datagram);
  }

  private onSessionMessage(message: SessionMessage): void {
    const now = this.clock.now();
    switch (message.kind) {
      case 'pong': {
        const rtt = this.keepalive.onPong(message.pingId, now);
        if (rtt === undefined) return;
        this.emit('link', { rttMs: rtt, uplinkLossPermille: message.uplinkLossPermille, downlinkLossPermille: message.downlinkLossPermille });
        return;
      }
      case 'roster':
        return this.followRoster(this.roster.onRoster(message, this.flags, now));
      case 'memberState':
        return this.followRoster(this.roster.onMemberState(message, this.flags, now));
      case 'bye':
        this.lostSession(message.reason === 'relayShutdown' ? 'relayClosed' : 'sessionExpired');
        return;
      default:
        this.log.debug({ kind: message.kind }, 'unexpected session message from relay');
    }
  }

  private followRoster(change: RosterChange): void {
    if (change.requestRoster && this.currentStatus.state === 'connected') this.sendSealed({ kind: 'rosterRequest' });
    if (change.resendState) this.sendState();
    if (change.changed) this.emit('roster', this.peers);
  }

  // -------------------------------------------------------------------------
  // Outgoing control

  private sendSealed(message: SessionMessage): void {
    this.transport.send(this.joined.sender.seal(message));
  }

  private sendState(): void {
    if (this.currentStatus.state === 'connected') this.sendSealed({ kind: 'state', flags: packFlags(this.flags) });
  }

  private requestRoster(): void {
    if (this.currentStatus.state === 'connected' && this.roster.shouldRequestRoster(this.clock.now())) this.sendSealed({ kind: 'rosterRequest' });
  }

  private sendPing(): void {
    this.sendSealed(this.keepalive.ping(this.clock.now(), this.options.receiverReports?.() ?? []));
  }

  private startPinging(): void {
    this.stopTimers();
    this.sendPing();
    this.pingTimer = setInterval(() => {
      if (this.keepalive.onInterval(this.clock.now()) === 'lost') this.lostSession('connectionLost');
      else this.sendPing();
    }, this.keepalive.intervalMs);
    this.pingTimer.unref();
  }

  private stopTimers(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    this.pingTimer = undefined;
    this.retryTimer = undefined;
  }

  // -------------------------------------------------------------------------
  // Reconnection

  private setStatus(status: SessionStatus): void {
    this.currentStatus = status;
    this.emit('status', status);
  }

  private lostSession(reason: DisconnectReason): void {
    if (this.closed || this.currentStatus.state !== 'connected') return;
    this.log.warn({ reason }, 'lost the session; reconnecting');
    this.stopTimers();
    this.roster.clear();
    this.emit('roster', []);
    this.scheduleReconnect(reason, 0, undefined);
  }

  private scheduleReconnect(reason: DisconnectReason, attempt: number, lastError: string | undefined): void {
    const { initial, max } = this.options.reconnectDelaysMs ?? { initial: 500, max: 30_000 };
    // The first retry is immediate for an expired session (the relay is there, it just forgot us).
    const base = attempt === 0 && reason === 'sessionExpired' ? 0 : Math.min(max, initial * 2 ** attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.setStatus({ state: 'reconnecting', reason, attempt: attempt + 1, retryInMs: delay, ...(lastError ? { lastError } : {}) });
    this.retryTimer = setTimeout(() => void this.tryReconnect(reason, attempt), delay);
  }

  private async tryReconnect(reason: DisconnectReason, attempt: number): Promise<void> {
    if (this.closed) return;
    this.reconnectAbort = new AbortController();
    try {
      await this.join(this.reconnectAbort.signal);
    } catch (error) {
      if (this.closed) return;
      const joinError = error instanceof JoinError ? error : new JoinError('unreachable', String(error));
      if (joinError.permanent) {
        this.closed = true;
        this.transport.close();
        this.setStatus({ state: 'closed', reason: 'failed', error: joinError });
        return;
      }
      this.scheduleReconnect(reason, attempt + 1, joinError.message);
    }
  }
}
