import pino, { type Logger } from 'pino';
import { formatAddress } from '../../server/shared/address.js';
import { systemClock, type Clock } from '../../server/shared/clock.js';
import type {
  ActionResult,
  AppSnapshot,
  ConnectionView,
  HelpTopic,
  HostRequest,
  JoinRequest,
  MicTestView,
  ParleyActions,
  PushToTalkView,
  RoomView,
  SettingsPatch,
} from '../api/contract.js';
import { AudioDeviceError, type AudioInput, type AudioOutput } from '../audio/types.js';
import { VoiceClient } from '../client/voice-client.js';
import { SendPipeline, type SendPipelineSettings } from '../engine/send/send-pipeline.js';
import { JoinError } from '../net/join-error.js';
import type { SessionStatus } from '../net/session.js';
import type { AudioBackend } from './audio-backend.js';
import { HostingError, startHosting, type Hosting } from './hosting.js';
import { InviteError, parseInvite } from './invite.js';
import { Notices } from './notices.js';
import { rememberServer, settingsSchema, type Settings } from './settings.js';
import type { SettingsStore } from './settings-store.js';
import { peerView, selfView } from './snapshot.js';

/** What only the host environment can do: the Electron shell provides these, tests provide theirs. */
export interface AppPorts {
  writeClipboard(text: string): void;
  openHelp(topic: HelpTopic): void;
  /** macOS asks the user; elsewhere there is nothing to ask. */
  askMicrophoneAccess(): Promise<boolean>;
}

export interface AppControllerOptions {
  store: SettingsStore;
  audio: AudioBackend;
  ports: AppPorts;
  platform: NodeJS.Platform;
  logger?: Logger;
  clock?: Clock;
  /** Address the embedded relay listens on; default all addresses. */
  hostBindAddress?: string;
  /** How often live values (levels, talking) are published while they change. */
  liveIntervalMs?: number;
}

interface Target {
  host: string;
  port: number;
  room: string;
  address: string;
  secret: string | undefined;
  password: string | undefined;
}

const fail = (code: string, message: string): ActionResult => ({ ok: false, error: { code, message } });
const OK: ActionResult = { ok: true };

/**
 * The app's state and every action the window can take: host, join, leave,
 * mute, volumes, settings, devices, the mic test. It owns the VoiceClient and
 * the embedded relay, and publishes an AppSnapshot whenever anything a view
 * shows changes (and ten times a second while levels move). No Electron here:
 * the shell injects what only Electron can do through AppPorts.
 */
export class AppController implements ParleyActions {
  private settings: Settings;
  private connection: ConnectionView = { state: 'idle' };
  private voice: VoiceClient | null = null;
  private hosting: Hosting | null = null;
  private target: Target | null = null;
  private devices: AppSnapshot['devices'] = { inputs: [], outputs: [] };
  private micTest: { input: AudioInput; pipeline: SendPipeline } | null = null;
  private pttView: PushToTalkView = { scope: 'focused', note: null, pressed: false };
  private readonly notices = new Notices();
  private pendingInvite: string | null = null;
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  private revision = 0;
  private publishQueued = false;
  private liveTimer: NodeJS.Timeout | undefined;
  /** Bumped by every join, host and leave: a connect that finishes after being superseded is undone. */
  private attempt = 0;
  private readonly log: Logger;
  private readonly clock: Clock;

  private constructor(
    private readonly options: AppControllerOptions,
    settings: Settings,
  ) {
    this.settings = settings;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.clock = options.clock ?? systemClock;
  }

  static async create(options: AppControllerOptions): Promise<AppController> {
    const loaded = await options.store.load();
    const controller = new AppController(options, loaded.settings);
    if (loaded.problem) controller.notices.add('warning', loaded.problem);
    await controller.refreshDevices();
    return controller;
  }

  // -------------------------------------------------------------------------
  // Publishing

  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getSnapshot(): Promise<AppSnapshot> {
    return this.snapshot();
  }

  snapshot(): AppSnapshot {
    return {
      revision: ++this.revision,
      connection: this.connection,
      room: this.roomView(),
      settings: this.settings,
      devices: this.devices,
      micTest: this.micTestView(),
      pushToTalk: this.pttView,
      notices: this.notices.list,
      pendingInvite: this.pendingInvite,
      platform: (['linux', 'darwin', 'win32'] as const).find((p) => p === this.options.platform) ?? 'other',
    };
  }

  /** Coalesces changes made in one turn of the event loop into one snapshot. */
  private changed(): void {
    if (this.publishQueued) return;
    this.publishQueued = true;
    queueMicrotask(() => {
      this.publishQueued = false;
      const snapshot = this.snapshot();
      for (const listener of this.listeners) listener(snapshot);
    });
    this.updateLiveTimer();
  }

  private updateLiveTimer(): void {
    const live = this.voice !== null || this.micTest !== null;
    if (live && !this.liveTimer) {
      this.liveTimer = setInterval(() => this.changed(), this.options.liveIntervalMs ?? 100);
      this.liveTimer.unref();
    } else if (!live && this.liveTimer) {
      clearInterval(this.liveTimer);
      this.liveTimer = undefined;
    }
  }

  private roomView(): RoomView | null {
    if (!this.voice || !this.target) return null;
    const voice = this.voice.snapshot();
    return {
      name: this.target.room,
      address: this.target.address,
      encrypted: voice.encrypted,
      self: selfView(voice.self),
      peers: voice.peers.map(peerView).sort((a, b) => a.name.localeCompare(b.name)),
      hosting: this.hosting?.view ?? null,
    };
  }

  private micTestView(): MicTestView | null {
    if (this.micTest) {
      const { pipeline } = this.micTest;
      return { levelDb: pipeline.level.rmsDb, peakDb: pipeline.level.peakDb, gateOpen: pipeline.voiceDetected };
    }
    return null;
  }

  // -------------------------------------------------------------------------
  // Joining, hosting, leaving

  async host(request: HostRequest): Promise<ActionResult> {
    const attempt = await this.beginConnecting(`port ${request.port}`);
    let hosting: Hosting;
    try {
      hosting = await startHosting({ port: request.port, room: request.room, password: request.password || undefined }, this.log, this.options.hostBindAddress);
    } catch (error) {
      const result = error instanceof HostingError ? fail(error.code, error.message) : fail('hostFailed', String(error));
      return this.failed(attempt, result);
    }
    if (attempt !== this.attempt) {
      await hosting.relay.close();
      return fail('cancelled', 'Hosting was cancelled.');
    }
    this.hosting = hosting;
    this.settings = { ...this.settings, hostPort: request.port, hostRoom: request.room };
    const result = await this.connect(attempt, {
      host: hosting.local.host,
      port: hosting.local.port,
      room: request.room,
      address: hosting.view.addresses[0] ?? formatAddress('127.0.0.1', hosting.local.port),
      secret: hosting.secret,
      password: hosting.password,
    }, request.name);
    if (!result.ok) await this.stopHosting();
    return result;
  }

  /** A parley:// link opened from outside: it waits in the Join box for the user to confirm. */
  openInvite(link: string): void {
    this.pendingInvite = link;
    this.changed();
  }

  async join(request: JoinRequest): Promise<ActionResult> {
    if (this.pendingInvite !== null) {
      this.pendingInvite = null;
      this.changed();
    }
    let invite;
    try {
      invite = parseInvite(request.target, request.room?.trim() || this.settings.hostRoom);
    } catch (error) {
      return fail('invalidAddress', error instanceof InviteError ? error.message : String(error));
    }
    const address = formatAddress(invite.host, invite.port);
    const attempt = await this.beginConnecting(address);
    const result = await this.connect(attempt, { host: invite.host, port: invite.port, room: invite.room, address, secret: invite.secret, password: request.password || invite.password }, request.name);
    // Neither the target nor the Room field named a room (an invite link hides that field): say where we are.
    if (result.ok && !invite.roomNamed && !request.room?.trim()) this.notify('info', `No room was named, so you joined "${invite.room}".`);
    return result;
  }

  private async beginConnecting(target: string): Promise<number> {
    await this.leave();
    const attempt = ++this.attempt;
    this.connection = { state: 'connecting', target };
    this.changed();
    return attempt;
  }

  private failed(attempt: number, result: ActionResult): ActionResult {
    if (attempt === this.attempt && !result.ok) {
      this.connection = { state: 'failed', error: result.error };
      this.changed();
    }
    return result;
  }

  private async connect(attempt: number, target: Target, name: string): Promise<ActionResult> {
    if (!(await this.options.ports.askMicrophoneAccess())) {
      return this.failed(attempt, fail('microphoneDenied', 'Parley may not use the microphone. Allow it in your system settings, then try again.'));
    }
    await this.stopMicTest();
    let devices: { input: AudioInput; output: AudioOutput };
    try {
      devices = await this.openDevices();
    } catch (error) {
      return this.failed(attempt, fail('device', error instanceof AudioDeviceError ? error.message : String(error)));
    }
    let voice: VoiceClient;
    try {
      voice = await VoiceClient.start({
        session: { relay: { host: target.host, port: target.port }, room: target.room, name, secret: target.secret, password: target.password },
        input: devices.input,
        output: devices.output,
        send: this.sendSettings(),
        cueSounds: this.settings.cueSounds,
        peerPreference: (peerName) => this.settings.peerVolumes[peerName],
        clock: this.clock,
        logger: this.log.child({ component: 'voice' }),
      });
    } catch (error) {
      await Promise.allSettled([devices.input.stop(), devices.output.stop()]);
      if (error instanceof JoinError) return this.failed(attempt, fail(error.code, error.message));
      if (error instanceof AudioDeviceError) return this.failed(attempt, fail('device', error.message));
      return this.failed(attempt, fail('joinFailed', String(error)));
    }
    if (attempt !== this.attempt) {
      await voice.leave();
      return fail('cancelled', 'Joining was cancelled.');
    }
    this.voice = voice;
    this.target = target;
    this.connection = { state: 'connected' };
    voice.on('status', (status) => this.onVoiceStatus(voice, status));
    voice.on('deviceError', ({ direction, error }) => void this.onDeviceError(voice, direction, error));
    voice.on('peerJoined', () => this.changed());
    voice.on('peerLeft', () => this.changed());
    this.settings = rememberServer({ ...this.settings, displayName: name }, target.address, target.room, Date.now());
    void this.saveSettings();
    this.changed();
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
    this.changed();
  }

  private async onDeviceError(voice: VoiceClient, direction: 'input' | 'output', error: AudioDeviceError): Promise<void> {
    if (voice !== this.voice) return;
    const which = direction === 'input' ? 'Microphone' : 'Speaker';
    this.notices.add('error', `${which}: ${error.message}`);
    this.changed();
    void this.refreshDevices();
  }

  async leave(): Promise<void> {
    this.attempt++;
    await this.closeVoice();
    await this.stopHosting();
    if (this.connection.state !== 'failed') this.connection = { state: 'idle' };
    this.changed();
  }

  private async closeVoice(): Promise<void> {
    const voice = this.voice;
    this.voice = null;
    this.target = null;
    this.pttView = { ...this.pttView, pressed: false };
    if (voice) await voice.leave();
  }

  private async stopHosting(): Promise<void> {
    const hosting = this.hosting;
    this.hosting = null;
    if (hosting) await hosting.relay.close();
  }

  // -------------------------------------------------------------------------
  // Self and peers

  async setMuted(muted: boolean): Promise<void> {
    this.voice?.setMuted(muted);
    this.changed();
  }

  async setDeafened(deafened: boolean): Promise<void> {
    this.voice?.setDeafened(deafened);
    this.changed();
  }

  async setPeerVolume(peerName: string, volume: number): Promise<void> {
    this.rememberPeer(peerName, { volume });
    for (const peer of this.voice?.snapshot().peers ?? []) if (peer.name === peerName) this.voice?.setPeerVolume(peer.id, volume);
    this.changed();
  }

  async setPeerMuted(peerName: string, muted: boolean): Promise<void> {
    this.rememberPeer(peerName, { muted });
    for (const peer of this.voice?.snapshot().peers ?? []) if (peer.name === peerName) this.voice?.setPeerMuted(peer.id, muted);
    this.changed();
  }

  private rememberPeer(name: string, change: Partial<{ volume: number; muted: boolean }>): void {
    const current = this.settings.peerVolumes[name] ?? { volume: 1, muted: false };
    this.settings = { ...this.settings, peerVolumes: { ...this.settings.peerVolumes, [name]: { ...current, ...change } } };
    void this.saveSettings();
  }

  async pushToTalk(pressed: boolean): Promise<void> {
    this.setPushToTalkPressed(pressed);
  }

  /** From the global key hook (main process) or the focused window. */
  setPushToTalkPressed(pressed: boolean): void {
    if (this.pttView.pressed === pressed) return;
    this.pttView = { ...this.pttView, pressed };
    this.voice?.setPushToTalk(pressed);
    this.changed();
  }

  setPushToTalkScope(scope: PushToTalkView['scope'], note: string | null): void {
    this.pttView = { ...this.pttView, scope, note };
    this.changed();
  }

  // -------------------------------------------------------------------------
  // Settings and devices

  get currentSettings(): Settings {
    return this.settings;
  }

  private sendSettings(): SendPipelineSettings {
    return {
      frameMs: this.settings.frameMs,
      bitrate: this.settings.bitrateKbps * 1000,
      activation: this.settings.activation,
      vadThresholdDb: this.settings.vadThresholdDb ?? undefined,
      inputGainDb: this.settings.inputGainDb,
      red: 'auto',
    };
  }

  async updateSettings(patch: SettingsPatch): Promise<ActionResult> {
    const parsed = settingsSchema.safeParse({ ...this.settings, ...patch });
    if (!parsed.success) return fail('invalidSettings', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const before = this.settings;
    this.settings = parsed.data;
    const voice = this.voice;
    if (voice) {
      voice.reconfigure(this.sendSettings());
      voice.setCueSounds(this.settings.cueSounds);
      try {
        if (before.inputDevice !== this.settings.inputDevice) await voice.replaceInput(await this.openInput());
        if (before.outputDevice !== this.settings.outputDevice) await voice.replaceOutput(await this.openOutput());
      } catch (error) {
        this.notices.add('error', error instanceof AudioDeviceError ? error.message : String(error));
      }
    }
    if (this.micTest && before.inputDevice !== this.settings.inputDevice) {
      await this.stopMicTest();
      await this.startMicTest();
    }
    this.micTest?.pipeline.reconfigure(this.sendSettings());
    await this.saveSettings();
    this.changed();
    return OK;
  }

  private async saveSettings(): Promise<void> {
    try {
      await this.options.store.save(this.settings);
    } catch (error) {
      this.notices.add('error', `Settings could not be saved: ${(error as Error).message}`);
      this.changed();
    }
  }

  async refreshDevices(): Promise<void> {
    try {
      this.devices = await this.options.audio.listDevices();
    } catch (error) {
      this.devices = { inputs: [], outputs: [] };
      this.notices.add('error', `Audio devices could not be listed: ${(error as Error).message}`);
    }
    this.changed();
  }

  /** The chosen device, or the system default with a notice when the chosen one is missing. */
  private async openWithFallback<T>(open: (name: string | null) => Promise<T>, chosen: string | null, what: string): Promise<T> {
    if (chosen === null) return open(null);
    try {
      return await open(chosen);
    } catch (error) {
      if (!(error instanceof AudioDeviceError)) throw error;
      this.notices.add('warning', `${what} "${chosen}" is not available (${error.message}); using the system default.`);
      return open(null);
    }
  }

  private openInput(): Promise<AudioInput> {
    return this.openWithFallback((name) => this.options.audio.openInput(name), this.settings.inputDevice, 'Microphone');
  }

  private openOutput(): Promise<AudioOutput> {
    return this.openWithFallback((name) => this.options.audio.openOutput(name), this.settings.outputDevice, 'Speaker');
  }

  private async openDevices(): Promise<{ input: AudioInput; output: AudioOutput }> {
    const input = await this.openInput();
    try {
      return { input, output: await this.openOutput() };
    } catch (error) {
      await input.stop();
      throw error;
    }
  }

  async startMicTest(): Promise<ActionResult> {
    if (this.micTest) return OK;
    if (this.voice) return fail('inRoom', 'Your level is shown in the room while you are connected.');
    if (!(await this.options.ports.askMicrophoneAccess())) return fail('microphoneDenied', 'Parley may not use the microphone.');
    try {
      const input = await this.openInput();
      // The real send pipeline, minus the network: the meter and gate are exactly what a call would use.
      const pipeline = new SendPipeline({ ...this.sendSettings(), activation: 'voice', clock: this.clock });
      pipeline.setMuted(true);
      this.micTest = { input, pipeline };
      await input.start((block) => pipeline.push(block));
    } catch (error) {
      await this.stopMicTest();
      return fail('device', error instanceof AudioDeviceError ? error.message : String(error));
    }
    this.changed();
    return OK;
  }

  async stopMicTest(): Promise<void> {
    const test = this.micTest;
    this.micTest = null;
    if (test) {
      await test.input.stop();
      test.pipeline.close();
    }
    this.changed();
  }

  // -------------------------------------------------------------------------
  // Small actions

  async copyInvite(): Promise<ActionResult> {
    if (!this.hosting) return fail('notHosting', 'Only the host has an invite to copy.');
    this.options.ports.writeClipboard(this.hosting.view.invite);
    this.notices.add('info', 'Invite link copied.');
    this.changed();
    return OK;
  }

  async dismissNotice(id: number): Promise<void> {
    this.notices.dismiss(id);
    this.changed();
  }

  async openHelp(topic: HelpTopic): Promise<void> {
    this.options.ports.openHelp(topic);
  }

  notify(kind: 'info' | 'warning' | 'error', text: string): void {
    this.notices.add(kind, text);
    this.changed();
  }

  async shutdown(): Promise<void> {
    await this.stopMicTest();
    await this.leave();
    if (this.liveTimer) clearInterval(this.liveTimer);
    this.liveTimer = undefined;
  }
}
