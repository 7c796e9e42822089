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
import { MediaChannel } from './media-channel.js';
import { RosterView, type PeerInfo } from './roster.js';
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

/** How many ping intervals of silence mean the relay is gone. */
const SILENT_PINGS_BEFORE_LOST = 3;

/**
 * One client's membership of one room on one relay: the handshake, the
 * sealed control channel, the roster, keepalive with RTT, end-to-end media
 * sealing, and reconnection with backoff when the relay restarts or the
 * network changes. It knows nothing of audio: it moves sealed RTP payloads.
 */
export class RelaySession extends EventEmitter<SessionEvents> {
  private joined!: JoinedSession;
  private media!: MediaChannel;
  private readonly roster = new RosterView();
  private flags: MemberFlags;
  private currentStatus: SessionStatus = { state: 'connecting' };
  private pingTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private nextPingId = 1;
  private readonly pendingPings = new Map<number, number>();
  private lastHeardAt = 0;
  private lastRosterRequestAt = -Infinity;
  private lastStateResendAt = -Infinity;
  private closed = false;
  private reconnectAbort: AbortController | undefined;
  rttMs: number | undefined;
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
        admission: this.media.admission,
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
    this.roster.clear();
    this.pendingPings.clear();
    this.lastHeardAt = this.clock.now();
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
    return this.roster.peers.filter((peer) => peer.id !== this.joined.memberId);
  }

  /** The local UDP port (it changes on roam). */
  get localPort(): number | undefined {
    return this.transport.localPort;
  }

  get ownFlags(): MemberFlags {
    return { ...this.flags };
  }

  get pingIntervalMs(): number {
    return this.joined.info.pingIntervalMs;
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
    this.transport.send(this.media.seal({ ...header, ssrc: this.joined.memberId }, payload));
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
    const peer = this.roster.get(packet.ssrc);
    if (!peer || peer.id === this.joined.memberId) {
      // Media can outrun the roster update announcing its sender: ask for the roster, at most once a second.
      this.requestRoster();
      return;
    }
    const opened = this.media.open(packet, peer.mediaSalt);
    const now = this.clock.now();
    this.lastHeardAt = now;
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
    if (message.type !== 'sealed' || message.memberId !== this.joined.memberId) return;
    const inner = this.joined.receiver.open(message);
    this.lastHeardAt = this.clock.now();
    this.onSessionMessage(inner);
  }

  private onSessionMessage(message: SessionMessage): void {
    switch (message.kind) {
      case 'pong': {
        const sentAt = this.pendingPings.get(message.pingId);
        if (sentAt === undefined) return;
        this.pendingPings.delete(message.pingId);
        const rtt = this.clock.now() - sentAt;
        this.rttMs = this.rttMs === undefined ? rtt : this.rttMs * 0.8 + rtt * 0.2;
        this.emit('link', { rttMs: rtt, uplinkLossPermille: message.uplinkLossPermille, downlinkLossPermille: message.downlinkLossPermille });
        return;
      }
      case 'roster': {
        const outcome = this.roster.applyRoster(message);
        if (outcome === 'changed') this.onRosterChanged();
        return;
      }
      case 'memberState': {
        const outcome = this.roster.applyMemberState(message);
        if (outcome === 'gap') this.requestRoster();
        if (outcome !== 'stale') this.onRosterChanged();
        return;
      }
      case 'bye':
        this.lostSession(message.reason === 'relayShutdown' ? 'relayClosed' : 'sessionExpired');
        return;
      default:
        this.log.debug({ kind: message.kind }, 'unexpected session message from relay');
    }
  }

  private onRosterChanged(): void {
    const self = this.roster.get(this.joined.memberId);
    // The relay's view of us disagrees (a STATE was lost): say it again, at most once a second.
    if (self && packFlags(self.flags) !== packFlags(this.flags)) {
      const now = this.clock.now();
      if (now - this.lastStateResendAt >= 1000) {
        this.lastStateResendAt = now;
        this.sendState();
      }
    }
    this.emit('roster', this.peers);
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
    const now = this.clock.now();
    if (now - this.lastRosterRequestAt < 1000 || this.currentStatus.state !== 'connected') return;
    this.lastRosterRequestAt = now;
    this.sendSealed({ kind: 'rosterRequest' });
  }

  private sendPing(): void {
    const pingId = this.nextPingId++;
    const now = this.clock.now();
    this.pendingPings.set(pingId, now);
    // Forget pings that will never be answered so the map stays small.
    for (const [id, sentAt] of this.pendingPings) if (now - sentAt > 30_000) this.pendingPings.delete(id);
    const reports = (this.options.receiverReports?.() ?? []).slice(0, 64);
    this.sendSealed({ kind: 'ping', pingId, reports });
  }

  private startPinging(): void {
    this.stopTimers();
    const interval = this.joined.info.pingIntervalMs;
    this.sendPing();
    this.pingTimer = setInterval(() => {
      if (this.clock.now() - this.lastHeardAt > interval * SILENT_PINGS_BEFORE_LOST) {
        this.lostSession('connectionLost');
        return;
      }
      this.sendPing();
    }, interval);
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
