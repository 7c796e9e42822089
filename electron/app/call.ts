import type { Logger } from 'pino';
import { formatAddress } from '../../server/shared/address.js';
import type { Clock } from '../../server/shared/clock.js';
import type { ActionResult, ChatMessageView, ConnectionView, HostRequest, JoinRequest, MoveRequest, RoomView } from '../api/contract.js';
import type { AudioDeviceError, AudioInput, AudioOutput } from '../audio/types.js';
import { VoiceClient } from '../client/voice-client.js';
import type { ChatEvent } from '../net/chat/session-chat.js';
import type { SessionStatus } from '../net/session.js';
import type { AppSettings } from './app-settings.js';
import type { DeviceChoice } from './devices.js';
import { Hosting, type HomeRouterAccess } from './hosting.js';
import { DEFAULT_ROOM, parseInvite } from './invite.js';
import { ChatLog } from './chat-log.js';
import { directoryView } from './directory-view.js';
import { CHAT_PROBLEMS } from './chat-problems.js';
import type { MicTest } from './mic-test.js';
import type { Notices } from './notices.js';
import { peerView, selfView } from './snapshot.js';
import { fail, failWith, OK, toUserError } from './user-error.js';

interface Target {
  host: string;
  port: number;
  room: string;
  address: string;
  secret: string | undefined;
  password: string | undefined;
}

export interface CallOptions {
  settings: AppSettings;
  devices: DeviceChoice;
  micTest: MicTest;
  notices: Notices;
  /** macOS asks the user; elsewhere there is nothing to ask. */
  askMicrophoneAccess(): Promise<boolean>;
  log: Logger;
  clock: Clock;
  /** Address the embedded relay listens on; default all addresses. */
  hostBindAddress: string | undefined;
  /** The home router for hosting; null never asks it. */
  homeRouter: HomeRouterAccess | null;
  changed(): void;
  /** A chat message from someone else arrived, and the user wants to be told (the shell decides how, and when). */
  chatArrived(message: ChatMessageView): void;
}

/**
 * One call at a time, from connecting to leaving: joining a room, hosting
 * one (the embedded relay), the connection's state as the window shows it,
 * and what the user does in the room. Every host, join and leave starts a new
 * attempt; a connect that finishes after being superseded is undone.
 */
export class Call {
  private connection: ConnectionView = { state: 'idle' };
  private voice: VoiceClient | null = null;
  private chat: ChatLog | null = null;
  private hosting: Hosting | null = null;
  private target: Target | null = null;
  /** Our display name in the call under way. */
  private selfName = '';
  /** The room a move is under way to. */
  private movingTo: string | null = null;
  private pressed = false;
  private attempt = 0;
  /** Relays (by address) whose last call ended on a lossy link: the next call to one sends RED from its first packet. */
  private readonly lossyRelays = new Set<string>();

  constructor(private readonly options: CallOptions) {}

  get connectionView(): ConnectionView {
    return this.connection;
  }

  get inRoom(): boolean {
    return this.voice !== null;
  }

  /** The invite to the room being hosted; null when not hosting. */
  get invite(): string | null {
    return this.hosting?.view.invite ?? null;
  }

  get pushToTalkPressed(): boolean {
    return this.pressed;
  }

  roomView(): RoomView | null {
    if (!this.voice || !this.target) return null;
    const voice = this.voice.snapshot();
    return {
      name: this.target.room,
      address: this.target.address,
      encrypted: voice.encrypted,
      self: selfView(voice.self),
      peers: voice.peers.map(peerView).sort((a, b) => a.name.localeCompare(b.name)),
      hosting: this.hosting?.view ?? null,
      chat: this.chat?.view() ?? { available: false, messages: [], unread: 0 },
      directory: this.voice.directory ? directoryView(this.voice.directory, this.target.room) : null,
      movingTo: this.movingTo,
    };
  }

  // -------------------------------------------------------------------------
  // Joining, hosting, leaving

  async host(request: HostRequest): Promise<ActionResult> {
    const attempt = await this.beginConnecting(`port ${request.port}`);
    let hosting: Hosting;
    try {
      hosting = await Hosting.start(
        { port: request.port, room: request.room, password: request.password || undefined },
        this.options.log,
        this.options.hostBindAddress,
        this.options.homeRouter,
        () => this.options.changed(),
      );
    } catch (error) {
      return this.failed(attempt, failWith(error, 'hostFailed'));
    }
    if (attempt !== this.attempt) {
      await hosting.stop();
      return fail('cancelled', 'Hosting was cancelled.');
    }
    this.hosting = hosting;
    this.options.settings.rememberHosting(request.port, request.room);
    const result = await this.connect(
      attempt,
      {
        host: hosting.local.host,
        port: hosting.local.port,
        room: request.room,
        address: hosting.view.addresses[0] ?? formatAddress('127.0.0.1', hosting.local.port),
        secret: hosting.secret,
        password: hosting.password,
      },
      request.name,
    );
    if (!result.ok) await this.stopHosting();
    return result;
  }

  async join(request: JoinRequest): Promise<ActionResult> {
    let invite;
    try {
      invite = parseInvite(request.target, request.room?.trim() || DEFAULT_ROOM);
    } catch (error) {
      return failWith(error, 'invalidAddress');
    }
    const address = formatAddress(invite.host, invite.port);
    const attempt = await this.beginConnecting(address);
    const secret = invite.secret ?? (request.secret || undefined);
    const result = await this.connect(attempt, { host: invite.host, port: invite.port, room: invite.room, address, secret, password: request.password || invite.password }, request.name);
    // Neither the target nor the Room field named a room (an invite link hides that field): say where we are.
    if (result.ok && !invite.roomNamed && !request.room?.trim()) {
      this.options.notices.add('info', `No room was named, so you joined "${invite.room}".`);
      this.options.changed();
    }
    return result;
  }

  async leave(): Promise<void> {
    this.attempt++;
    await this.closeVoice();
    await this.stopHosting();
    if (this.connection.state !== 'failed') this.connection = { state: 'idle' };
    this.options.changed();
  }

  private async beginConnecting(target: string): Promise<number> {
    await this.leave();
    const attempt = ++this.attempt;
    this.connection = { state: 'connecting', target };
    this.options.changed();
    return attempt;
  }

  private failed(attempt: number, result: ActionResult): ActionResult {
    if (attempt === this.attempt && !result.ok) {
      this.connection = { state: 'failed', error: result.error };
      this.options.changed();
    }
    return result;
  }

  private async connect(attempt: number, target: Target, name: string): Promise<ActionResult> {
    const { settings, devices, micTest, changed } = this.options;
    if (!(await this.options.askMicrophoneAccess())) {
      return this.failed(attempt, fail('microphoneDenied', 'Parley may not use the microphone. Allow it in your system settings, then try again.'));
    }
    await micTest.stop();
    let opened: { input: AudioInput; output: AudioOutput };
    try {
      opened = await devices.openBoth(settings.current.inputDevice, settings.current.outputDevice);
    } catch (error) {
      return this.failed(attempt, failWith(error, 'device'));
    }
    let voice: VoiceClient;
    try {
      voice = await VoiceClient.start({
        session: { relay: { host: target.host, port: target.port }, room: target.room, name, secret: target.secret, password: target.password },
        input: opened.input,
        output: opened.output,
        send: settings.send,
        cueSounds: settings.current.cueSounds,
        expectLoss: this.lossyRelays.has(target.address),
        peerPreference: (peerName) => settings.preference(peerName),
        clock: this.options.clock,
        logger: this.options.log.child({ component: 'voice' }),
      });
    } catch (error) {
      await Promise.allSettled([opened.input.stop(), opened.output.stop()]);
      return this.failed(attempt, failWith(error, 'joinFailed'));
    }
    if (attempt !== this.attempt) {
      await voice.leave();
      return fail('cancelled', 'Joining was cancelled.');
    }
    this.voice = voice;
    this.target = target;
    this.selfName = name;
    this.chat = new ChatLog(name);
    this.connection = { state: 'connected' };
    voice.watchDirectory();
    voice.on('directory', () => voice === this.voice && changed());
    voice.on('moved', (room) => this.onMoved(voice, room));
    voice.onChat((event) => this.onChat(voice, event));
    voice.on('status', (status) => this.onVoiceStatus(voice, status));
    voice.on('deviceError', ({ direction, error }) => this.onDeviceError(voice, direction, error));
    voice.on('peerJoined', () => changed());
    voice.on('peerLeft', () => changed());
    settings.rememberJoin(name, target.address, target.room);
    changed();
    return OK;
  }

  private onVoiceStatus(voice: VoiceClient, status: SessionStatus): void {
    if (voice !== this.voice) return;
    switch (status.state) {
      case 'connected':
        this.connection = { state: 'connected' };
        break;
      case 'reconnecting':
        this.connection = { state: 'reconnecting', reason: status.reason, attempt: status.attempt, retryInMs: status.retryInMs, lastError: status.lastError ?? null };
        break;
      case 'closed':
        if (status.reason === 'failed') {
          this.connection = { state: 'failed', error: { code: status.error?.code ?? 'disconnected', message: status.error?.message ?? 'Disconnected.' } };
          void this.closeVoice();
        }
        break;
      default:
        break;
    }
    this.options.changed();
  }

  /** We are in another room of the same relay: its name, its chat (the old room's is gone), remembered for next time. */
  private onMoved(voice: VoiceClient, room: string): void {
    if (voice !== this.voice || !this.target) return;
    this.target = { ...this.target, room };
    this.chat = new ChatLog(this.selfName);
    this.options.settings.rememberJoin(this.selfName, this.target.address, room);
    this.options.changed();
  }

  private onChat(voice: VoiceClient, event: ChatEvent): void {
    if (voice !== this.voice || !this.chat) return;
    const news = this.chat.apply(event);
    if (news && this.options.settings.current.chatNotifications) this.options.chatArrived(news);
    this.options.changed();
  }

  private onDeviceError(voice: VoiceClient, direction: 'input' | 'output', error: AudioDeviceError): void {
    if (voice !== this.voice) return;
    const which = direction === 'input' ? 'Microphone' : 'Speaker';
    this.options.notices.add('error', `${which}: ${error.message}`);
    this.options.changed();
    void this.options.devices.refresh();
  }

  private async closeVoice(): Promise<void> {
    const voice = this.voice;
    if (voice && this.target) {
      if (voice.linkLossy) this.lossyRelays.add(this.target.address);
      else this.lossyRelays.delete(this.target.address);
    }
    this.voice = null;
    this.target = null;
    this.chat = null;
    this.movingTo = null;
    this.pressed = false;
    if (voice) await voice.leave();
  }

  private async stopHosting(): Promise<void> {
    const hosting = this.hosting;
    this.hosting = null;
    if (hosting) await hosting.stop();
  }

  // -------------------------------------------------------------------------
  // In the room

  setMuted(muted: boolean): void {
    this.voice?.setMuted(muted);
  }

  /** To another room of the same relay, without leaving the call; on refusal we stay where we are. */
  async moveTo(request: MoveRequest): Promise<ActionResult> {
    const voice = this.voice;
    if (!voice || !this.target) return fail('notInRoom', 'Join a room first.');
    if (this.movingTo !== null) return fail('busy', `Already moving to "${this.movingTo}".`);
    this.movingTo = request.room;
    this.options.changed();
    try {
      await voice.moveTo(request.room, { secret: request.secret || undefined });
      return OK;
    } catch (error) {
      return failWith(error, 'moveFailed');
    } finally {
      if (voice === this.voice) {
        this.movingTo = null;
        this.options.changed();
      }
    }
  }

  sendChat(text: string): ActionResult {
    if (!this.voice || !this.chat) return fail('notInRoom', 'Join a room to chat.');
    const result = this.voice.postChat(text);
    if (!result.ok) return fail(`chat_${result.problem}`, CHAT_PROBLEMS[result.problem]);
    this.chat.posted(result.tag, text, Date.now());
    this.options.changed();
    return OK;
  }

  markChatRead(): void {
    if (!this.chat) return;
    this.chat.markRead();
    this.options.changed();
  }

  setDeafened(deafened: boolean): void {
    this.voice?.setDeafened(deafened);
  }

  /** Applies a volume and mute to every member of that name now in the room. */
  setPeerPreference(name: string, change: { volume?: number; muted?: boolean }): void {
    const voice = this.voice;
    if (!voice) return;
    for (const peer of voice.snapshot().peers) {
      if (peer.name !== name) continue;
      if (change.volume !== undefined) voice.setPeerVolume(peer.id, change.volume);
      if (change.muted !== undefined) voice.setPeerMuted(peer.id, change.muted);
    }
  }

  /** Returns whether anything changed. */
  setPushToTalk(pressed: boolean): boolean {
    if (this.pressed === pressed) return false;
    this.pressed = pressed;
    this.voice?.setPushToTalk(pressed);
    return true;
  }

  /** Settings changed during a call: the send pipeline, cue sounds and any device that was changed. */
  async applySettings(before: { inputDevice: string | null; outputDevice: string | null }): Promise<void> {
    const voice = this.voice;
    if (!voice) return;
    const { settings, devices, notices } = this.options;
    voice.reconfigure(settings.send);
    voice.setCueSounds(settings.current.cueSounds);
    try {
      if (before.inputDevice !== settings.current.inputDevice) await voice.replaceInput(await devices.openInput(settings.current.inputDevice));
      if (before.outputDevice !== settings.current.outputDevice) await voice.replaceOutput(await devices.openOutput(settings.current.outputDevice));
    } catch (error) {
      notices.add('error', toUserError(error, 'device').message);
    }
  }
}
