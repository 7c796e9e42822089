import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import { JoinFlag, packFlags, type MemberFlags } from '../../server/protocol/constants.js';
import { decodeControl, isControl } from '../../server/protocol/control.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { isValidDisplayName, isValidRoomName, normalizeName } from '../../server/protocol/names.js';
import { decodeRtp, isRtp, type RtpHeader } from '../../server/protocol/rtp.js';
import { ROOM_PROOF_BYTES, ROOM_PUBLIC_KEY_BYTES, roomProof } from '../../server/protocol/crypto.js';
import type { ListedRoom } from './directory-sync.js';
import type { ByeReasonName, SessionMessage } from '../../server/protocol/session-messages.js';
import { systemClock, type Clock } from '../../server/shared/clock.js';
import { ChatChannel } from './chat/chat-channel.js';
import type { ChatEvent, ChatPostResult } from './chat/session-chat.js';
import { DirectorySync } from './directory-sync.js';
import { FirstReport } from './first-report.js';
import { JoinError } from './join-error.js';
import { Keepalive } from './keepalive.js';
import { MediaChannel } from './media-channel.js';
import { MediaStallWatch } from './media-stall.js';
import { MoveExchange } from './move-exchange.js';
import { ReconnectBackoff, Reconnector } from './reconnect.js';
import { RoamRecovery } from './roam-recovery.js';
import { openRoomLink, type LinkRequest, type OpenedLink, type RoomLink } from './room-link.js';
import type { PeerInfo } from './roster.js';
import { RosterSync, type RosterChange } from './roster-sync.js';
import type { ClosedStatus, DisconnectReason, MoveTarget, ReconnectingStatus, SessionEvents, SessionOptions, SessionStatus } from './session-types.js';
import type { DatagramTransport, TransportKind } from './datagram-transport.js';
import { FallbackTransport } from './fallback-transport.js';
import { TcpTransport } from './tcp-transport.js';
import { UdpTransport } from './udp-transport.js';

export type { DisconnectReason, LinkReport, MediaArrival, MoveTarget, SessionEvents, SessionOptions, SessionStatus } from './session-types.js';

/**
 * Where the session stands. Only a connected session has a live link (our
 * member id, session keys, media key) and a ping timer; the other states keep
 * the last link for what it told (our id, whether the room was encrypted).
 */
type Connection =
  | { state: 'connected'; link: RoomLink; pingTimer: NodeJS.Timeout }
  | { state: 'reconnecting'; status: ReconnectingStatus; last: RoomLink; reconnector: Reconnector<OpenedLink> }
  | { state: 'closed'; status: ClosedStatus; last: RoomLink };

const CONNECTED: SessionStatus = { state: 'connected' };

/**
 * One client's membership of one room on one relay: the sealed control
 * channel over the link a handshake opened, end-to-end media sealing, and the
 * units that keep it up (Keepalive, RosterSync, Reconnector, RoamRecovery),
 * which this class drives from the socket and its ping timer. It knows
 * nothing of audio: it moves sealed RTP payloads.
 */
export class RelaySession extends EventEmitter<SessionEvents> {
  private connection: Connection;
  private readonly roster = new RosterSync();
  private readonly keepalive = new Keepalive();
  private readonly roamRecovery = new RoamRecovery();
  private readonly chat: ChatChannel;
  /**
   * Our media's first loss report (the relay's, in its PONG), asked for early. Only for what we
   * send: a ping early for what we receive would carry reports over a few packets of each of
   * several talkers, and one loss in five packets reads 20 %.
   */
  private readonly firstUplinkReport = new FirstReport();
  private readonly mediaStall = new MediaStallWatch();
  private readonly directorySync = new DirectorySync();
  private readonly moves = new MoveExchange((message) => this.sendSealed(message));
  /** Whether we asked for the relay's directory and its changes (asked again after a reconnect: the relay forgets). */
  private watchingDirectory = false;
  /** Chat the relay sealed before this counter belongs to a room we moved out of (or stayed in: either way an old channel). */
  private chatFromCounter = 0;

  private constructor(
    private readonly transport: DatagramTransport,
    /** The room and secret change when we move: a reconnect then rejoins where we are. */
    private options: SessionOptions,
    private flags: MemberFlags,
    first: OpenedLink,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    super();
    this.chat = new ChatChannel(clock);
    transport.onError((error) => this.log.debug({ err: error }, 'transport error'));
    if (transport instanceof FallbackTransport) transport.onSwitch((to) => this.onTransportSwitch(to));
    this.connection = this.connectedOn(first.link);
    this.begin(first.held);
  }

  /** Joins or throws a JoinError whose message can be shown to the user as is. */
  static async connect(requested: SessionOptions): Promise<RelaySession> {
    // Names are compared as the relay stores them; normalising here turns "Café " typed anywhere into one room.
    const options = { ...requested, room: normalizeName(requested.room), name: normalizeName(requested.name) };
    // No room at all is a join to browse the relay's directory, then perhaps move into one of its rooms.
    if (requested.room !== '' && !isValidRoomName(options.room)) throw new JoinError('invalidRoom');
    if (!isValidDisplayName(options.name)) throw new JoinError('invalidName');
    let transport: DatagramTransport;
    try {
      transport = await openTransport(options);
    } catch (error) {
      throw new JoinError('unreachable', (error as Error).message);
    }
    const flags = { muted: false, deafened: false, talking: false, ...options.flags };
    try {
      const log = options.logger ?? pino({ level: 'silent' });
      log.info({ relay: transport.relayAddress }, 'joining');
      const first = await openRoomLink(transport, linkRequest(options, flags));
      return new RelaySession(transport, options, flags, first, options.clock ?? systemClock, log);
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  /** The connected state on a fresh link: the units restarted for it, its ping timer running. */
  private connectedOn(link: RoomLink): Connection {
    const intervalMs = link.joined.info.pingIntervalMs;
    this.roster.restart(link.joined.memberId);
    this.keepalive.restart(intervalMs, this.clock.now());
    this.roamRecovery.clear();
    // A new link may be to a restarted relay, whose directory revisions count from 1 again.
    this.directorySync.clear();
    this.chatFromCounter = 0;
    this.attachChat(link);
    this.firstUplinkReport.restart();
    this.mediaStall.clear();
    const pingTimer = setInterval(() => this.onPingInterval(), intervalMs);
    pingTimer.unref();
    return { state: 'connected', link, pingTimer };
  }

  /** Just connected: listen, say so, handle what arrived while the key was derived, and ping at once. */
  private begin(held: Buffer[]): void {
    this.transport.onDatagram((datagram) => this.onDatagram(datagram));
    this.emit('status', CONNECTED);
    for (const datagram of held) this.onDatagram(datagram);
    this.sendPing();
    if (this.watchingDirectory) this.sendSealed({ kind: 'roomListRequest', subscribe: true });
    this.log.info({ memberId: this.memberId, room: this.options.room, transport: this.transport.kind }, 'joined');
  }

  // -------------------------------------------------------------------------
  // Public surface

  /** Our SSRC, assigned by the relay at join. Changes after a reconnect. */
  get memberId(): number {
    return this.currentLink.joined.memberId;
  }

  get encrypted(): boolean {
    return this.currentLink.media.encrypted;
  }

  /** The room we are in; empty while we only browse the directory. */
  get room(): string {
    return this.options.room;
  }

  /** The relay's rooms as last listed; undefined until a directory has arrived (an older relay sends none). */
  get directory(): ListedRoom[] | undefined {
    return this.directorySync.rooms;
  }

  /** Ask for the relay's directory, and for it again whenever it changes ('directory' events). */
  watchDirectory(): void {
    this.watchingDirectory = true;
    this.sendSealed({ kind: 'roomListRequest', subscribe: true });
  }

  /**
   * Moves to another room in this session: no new handshake, the new room's
   * key from its secret (or the one the relay hands out), proved for this
   * session and this move. Resolves once we are in; throws a JoinError whose
   * message can be shown as is when the relay refuses (we stay where we were).
   */
  async moveTo(room: string, target: MoveTarget = {}): Promise<void> {
    const name = normalizeName(room);
    if (!isValidRoomName(name)) throw new JoinError('invalidRoom');
    if (name === this.options.room) return;
    if (this.moves.moving) throw new JoinError('busy', 'a move is already under way');
    const connection = this.connection;
    if (connection.state !== 'connected') throw new JoinError('unreachable', 'not connected to the relay');
    let media = await MediaChannel.create(target.secret, name);
    if (this.connection !== connection) throw new JoinError('unreachable', 'the connection was lost');
    const { joined } = connection.link;
    const moveId = this.moves.nextMoveId();
    const claim = { move: { ...joined.binding, memberId: joined.memberId, moveId, mediaSalt: media.mediaSalt, room: name } };
    // The old room's chat ends as the move is asked for: what the relay seals from here is the next channel's.
    this.chat.detach();
    const { reply, counter } = await this.moves.request({
      kind: 'move',
      moveId,
      room: name,
      roomPublicKey: media.admission?.publicKey ?? Buffer.alloc(ROOM_PUBLIC_KEY_BYTES),
      mediaSalt: media.mediaSalt,
      hidden: target.hidden ?? false,
      roomProof: media.admission ? roomProof(media.admission, claim) : Buffer.alloc(ROOM_PROOF_BYTES),
    }).catch((error: unknown) => {
      // No answer: the relay may have moved us or not. Rejoining where we were settles it.
      if (this.connection === connection) this.lostSession('connectionLost');
      throw error;
    });
    this.chatFromCounter = counter;
    if (reply.result !== 'ok') {
      this.attachChat(connection.link);
      throw new JoinError(reply.result);
    }
    this.roster.restart(joined.memberId);
    this.emit('roster', []);
    if (!media.encrypted && reply.roomSecret !== '') media = await MediaChannel.create(reply.roomSecret, name, media.mediaSalt);
    connection.link.media = media;
    this.options = { ...this.options, room: name, secret: target.secret ?? (reply.roomSecret || undefined), hiddenRoom: target.hidden };
    if (this.connection !== connection) return;
    this.attachChat(connection.link);
    this.sendSealed({ kind: 'rosterRequest' });
    this.log.info({ memberId: joined.memberId, room: name }, 'moved');
    this.emit('moved', name);
  }

  get status(): SessionStatus {
    return this.connection.state === 'connected' ? CONNECTED : this.connection.status;
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

  /** Which way our datagrams go now: UDP, or TCP when UDP is blocked. */
  get transportKind(): TransportKind {
    return this.transport.kind;
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

  /** Whether the relay carries text chat (it says so once we are in; an older relay never does). */
  get chatAvailable(): boolean {
    return this.chat.available;
  }

  /** The room's text chat, from the join on (what arrived before this call is handed over first). One listener. */
  onChat(listener: (event: ChatEvent) => void): void {
    this.chat.listen(listener);
  }

  /** Posts to the room's chat: sealed for the room, and confirmed by a 'message' event with `own` and this tag. */
  postChat(text: string): ChatPostResult {
    return this.chat.post(text);
  }

  /** Seals and sends one RTP packet of ours; silently skipped while not connected. */
  sendMedia(header: Omit<RtpHeader, 'ssrc'>, payload: Uint8Array): void {
    const connection = this.connection;
    if (connection.state !== 'connected') return;
    const { joined, media } = connection.link;
    const datagram = media.seal({ ...header, ssrc: joined.memberId }, payload);
    this.transport.send(datagram);
    this.roamRecovery.recordSent(header.sequence, datagram, this.clock.now());
    if (this.firstUplinkReport.counted()) this.sendPing();
  }

  /** Moves to a new local port, as switching networks does; the session keeps its place. */
  async roam(): Promise<void> {
    await this.transport.rebind();
    // Tell the relay at once so media flows to the new address without waiting for the next ping.
    this.sendPing();
  }

  async leave(): Promise<void> {
    const connection = this.connection;
    if (connection.state === 'closed') return;
    this.stop(connection);
    if (connection.state === 'connected') this.sayLeave();
    const status: ClosedStatus = { state: 'closed', reason: 'left' };
    this.connection = { state: 'closed', status, last: this.currentLink };
    if (connection.state === 'connected') await new Promise<void>((resolve) => setImmediate(resolve));
    this.transport.close();
    this.emit('status', status);
  }

  /** The link we are on, or were on last. */
  private get currentLink(): RoomLink {
    return this.connection.state === 'connected' ? this.connection.link : this.connection.last;
  }

  // -------------------------------------------------------------------------
  // Incoming

  private onDatagram(datagram: Buffer): void {
    const connection = this.connection;
    if (connection.state !== 'connected') return;
    try {
      if (isRtp(datagram)) this.onMedia(connection.link, datagram);
      else if (isControl(datagram)) this.onControl(connection.link, datagram);
    } catch (error) {
      if (!(error instanceof ProtocolError)) this.log.error({ err: error }, 'unexpected error handling a datagram');
      else this.log.debug({ reason: error.reason, detail: error.message }, 'dropped datagram');
    }
  }

  private onMedia(link: RoomLink, datagram: Buffer): void {
    const packet = decodeRtp(datagram);
    const peer = this.roster.peer(packet.ssrc);
    if (!peer) {
      // Media can outrun the roster update announcing its sender: ask for the roster, at most once a second.
      if (this.roster.shouldRequestRoster(this.clock.now())) this.sendSealed({ kind: 'rosterRequest' });
      return;
    }
    const opened = link.media.open(packet, peer.mediaSalt);
    const now = this.clock.now();
    this.keepalive.heard(now);
    this.mediaStall.media(now);
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

  private onControl(link: RoomLink, datagram: Buffer): void {
    const message = decodeControl(datagram);
    const ours = 'memberId' in message && message.memberId === link.joined.memberId;
    if (message.type === 'unknownSession') {
      if (ours) this.lostSession('sessionExpired');
    } else if (message.type === 'unknownAddress') {
      if (ours) this.followToNewAddress(message.sequence);
    } else if (message.type === 'sealed' && ours) {
      const inner = link.joined.receiver.open(message);
      this.keepalive.heard(this.clock.now());
      this.onSessionMessage(inner, message.counter);
    }
  }

  /** The relay refused our media from the address it now arrives from: a NAT moved us without our knowing. */
  private followToNewAddress(refusedSequence: number): void {
    const { ping, resend } = this.roamRecovery.onRefused(refusedSequence, this.clock.now());
    if (ping) {
      this.log.info({ memberId: this.memberId }, 'the relay has us at another address; proving ourselves');
      this.sendPing();
    }
    for (const datagram of resend) this.transport.send(datagram);
  }

  private onSessionMessage(message: SessionMessage, counter: number): void {
    const now = this.clock.now();
    switch (message.kind) {
      case 'pong': {
        const rtt = this.keepalive.onPong(message.pingId, now);
        if (rtt === undefined) return;
        this.chat.setRoundTrip(rtt);
        this.emit('link', { rttMs: rtt, uplinkLossPermille: message.uplinkLossPermille, downlinkLossPermille: message.downlinkLossPermille });
        return;
      }
      case 'roster':
        return this.followRoster(this.roster.onRoster(message, this.flags, now));
      case 'memberState':
        return this.followRoster(this.roster.onMemberState(message, this.flags, now));
      case 'bye':
        // A draining relay still serves us, but waits for its members to go before it stops: go at once.
        if (message.reason === 'draining') this.sayLeave();
        return this.lostSession(BYE_DISCONNECT[message.reason]);
      case 'chatReady':
      case 'chatChunk':
      case 'chatAck':
        if (this.moves.moving || counter < this.chatFromCounter) return;
        return this.chat.receive(message);
      case 'roomList':
        if (this.directorySync.onPage(message)) this.emit('directory', this.directorySync.rooms ?? []);
        return;
      case 'moved':
        this.moves.onMoved(message, counter);
        return;
      default:
        this.log.debug({ kind: message.kind }, 'unexpected session message from relay');
    }
  }

  private followRoster(change: RosterChange): void {
    if (change.requestRoster) this.sendSealed({ kind: 'rosterRequest' });
    if (change.resendState) this.sendState();
    if (change.changed) {
      this.mediaStall.peersTalking(this.peers.some((peer) => peer.flags.talking && !peer.flags.muted), this.clock.now());
      this.emit('roster', this.peers);
    }
  }

  /** Sends moved: a sealed message the new way moves our membership there, at once. */
  private onTransportSwitch(to: TransportKind): void {
    this.log.info({ transport: to }, to === 'tcp' ? 'UDP is not getting through; going over TCP' : 'UDP works again; back to UDP');
    this.sendPing();
    this.emit('transport', to);
  }

  // -------------------------------------------------------------------------
  // Outgoing control: only on a live link

  private attachChat(link: RoomLink): void {
    this.chat.attach({ chatKey: link.media.chatKey, selfId: link.joined.memberId, selfSalt: link.media.mediaSalt, send: (message) => this.sendSealed(message) });
  }

  private sendSealed(message: SessionMessage): void {
    const connection = this.connection;
    if (connection.state === 'connected') this.transport.send(connection.link.joined.sender.seal(message));
  }

  /** Twice, because a lost LEAVE costs the others a 15 s ghost. */
  private sayLeave(): void {
    this.sendSealed({ kind: 'leave' });
    this.sendSealed({ kind: 'leave' });
  }

  private sendState(): void {
    this.sendSealed({ kind: 'state', flags: packFlags(this.flags) });
  }

  private sendPing(): void {
    if (this.connection.state !== 'connected') return;
    this.firstUplinkReport.pinged();
    this.sendSealed(this.keepalive.ping(this.clock.now(), this.options.receiverReports?.() ?? []));
  }

  private onPingInterval(): void {
    const now = this.clock.now();
    if (this.keepalive.onInterval(now) === 'lost') return this.lostSession('connectionLost');
    if (this.transport instanceof FallbackTransport && this.transport.kind === 'udp' && !this.flags.deafened && this.mediaStall.stalled(now)) {
      // Deafened, we are sent no media: silence is then what we asked for.
      this.log.warn('peers are talking but no media arrives over UDP');
      this.transport.mediaStalled();
    }
    this.sendPing();
  }

  // -------------------------------------------------------------------------
  // Reconnection

  private lostSession(reason: DisconnectReason): void {
    const connection = this.connection;
    if (connection.state !== 'connected') return;
    this.log.warn({ reason }, 'lost the session; reconnecting');
    this.stop(connection);
    this.roster.clear();
    this.emit('roster', []);
    const last = connection.link;
    const reconnector = new Reconnector(
      new ReconnectBackoff(reason, this.options.reconnectDelaysMs),
      (signal) => openRoomLink(this.transport, linkRequest(this.options, this.flags), signal),
      {
        waiting: (status) => {
          this.connection = { state: 'reconnecting', status, last, reconnector };
          this.emit('status', status);
        },
        joined: (opened) => {
          this.connection = this.connectedOn(opened.link);
          this.begin(opened.held);
        },
        gaveUp: (error) => {
          const status: ClosedStatus = { state: 'closed', reason: 'failed', error };
          this.connection = { state: 'closed', status, last };
          this.transport.close();
          this.emit('status', status);
        },
      },
    );
    reconnector.start();
  }

  /** Stops the timers and any join under way that belong to `connection`, and the chat on its link. */
  private stop(connection: Connection): void {
    this.moves.cancel(new JoinError('unreachable', 'the session ended before the relay answered the move'));
    this.chat.detach();
    if (connection.state === 'connected') clearInterval(connection.pingTimer);
    if (connection.state === 'reconnecting') connection.reconnector.stop();
  }
}

const BYE_DISCONNECT: Record<ByeReasonName, DisconnectReason> = {
  relayShutdown: 'relayClosed',
  timedOut: 'sessionExpired',
  draining: 'relayRestarting',
};

async function openTransport(options: SessionOptions): Promise<DatagramTransport> {
  switch (options.transport ?? 'auto') {
    case 'udp':
      return UdpTransport.open(options.relay);
    case 'tcp':
      return new TcpTransport(options.relay);
    default:
      return FallbackTransport.open(options.relay);
  }
}

function linkRequest(options: SessionOptions, flags: MemberFlags): LinkRequest {
  const { room, name, password, secret, handshake } = options;
  return { room, name, password, secret, handshake, flags: packFlags(flags) | (options.hiddenRoom ? JoinFlag.hiddenRoom : 0) };
}
