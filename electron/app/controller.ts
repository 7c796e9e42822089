import { dirname, join } from 'node:path';
import pino, { type Logger } from 'pino';
import { fileJournal, homeRouter, removeStaleMappings, type MappingJournal } from '../../server/portmap/index.js';
import { systemClock, type Clock } from '../../server/shared/clock.js';
import type {
  ActionResult,
  AppSnapshot,
  BrowseRequest,
  ChatMessageView,
  HelpTopic,
  HostRequest,
  JoinRequest,
  LiveLevels,
  MicTestOptions,
  MoveRequest,
  ParleyActions,
  PushToTalkView,
  SettingsPatch,
} from '../api/contract.js';
import type { Settings } from '../api/settings.js';
import { AppSettings } from './app-settings.js';
import type { AudioBackend } from './audio-backend.js';
import { Call } from './call.js';
import { isOpenableChatLink } from './chat-text-parts.js';
import { DeviceChoice } from './devices.js';
import type { HomeRouterAccess } from './hosting.js';
import { MicTest } from './mic-test.js';
import { Notices } from './notices.js';
import { RoomBrowser } from './room-browser.js';
import type { SettingsStore } from './settings-store.js';
import { SnapshotPublisher, type SnapshotContent } from './snapshot-publisher.js';
import { fail, OK } from './user-error.js';

/** What only the host environment can do: the Electron shell provides these, tests provide theirs. */
export interface AppPorts {
  writeClipboard(text: string): void;
  openHelp(topic: HelpTopic): void;
  /** Opens a web link in the system browser (already checked: http or https only). */
  openExternal(url: string): void;
  /** A chat message from someone else arrived: the shell shows a system notification if its window is not in front. */
  notifyChat(message: ChatMessageView): void;
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
  /** How often live levels (and talking, link measures) are published while they change. */
  liveIntervalMs?: number;
  /** The home router for hosting; by default the real one (NAT-PMP, UPnP), asked when the setting allows. */
  homeRouter?: HomeRouterAccess;
}

/**
 * Every action the window can take, over one unit per job: the call (host,
 * join, leave, what happens in the room), device choice, the mic test, the
 * settings with per-member preferences, and the snapshot publisher, which
 * publishes an AppSnapshot whenever anything a view shows changes, and the
 * live levels apart from it ten times a second while they move. No Electron
 * here: the shell injects what only Electron can do through AppPorts.
 */
export class AppController implements ParleyActions {
  private readonly publisher: SnapshotPublisher;
  private readonly settings: AppSettings;
  private readonly devices: DeviceChoice;
  private readonly micTest: MicTest;
  private readonly call: Call;
  private readonly browser: RoomBrowser;
  private pushToTalkScope: Omit<PushToTalkView, 'pressed'> = { scope: 'focused', note: null };
  private pendingInvite: string | null = null;
  private readonly platform: AppSnapshot['platform'];

  private constructor(
    private readonly options: AppControllerOptions,
    private readonly notices: Notices,
    settings: Settings,
  ) {
    const changed = (): void => this.publisher.changed();
    const clock = options.clock ?? systemClock;
    const journal = portMappingJournal(options.store);
    this.publisher = new SnapshotPublisher(() => this.compose(), () => this.call.inRoom || this.micTest.isRunning, options.liveIntervalMs ?? 100);
    this.settings = new AppSettings(options.store, settings, notices, changed);
    this.devices = new DeviceChoice(options.audio, notices, changed);
    this.micTest = new MicTest(this.devices, clock, changed);
    this.call = new Call({
      settings: this.settings,
      devices: this.devices,
      micTest: this.micTest,
      notices,
      askMicrophoneAccess: () => options.ports.askMicrophoneAccess(),
      log: options.logger ?? pino({ level: 'silent' }),
      clock,
      hostBindAddress: options.hostBindAddress,
      homeRouter: options.homeRouter ?? ((onChange) => homeRouter(journal, this.settings.current.mapPort, onChange)),
      changed,
      chatArrived: (message) => options.ports.notifyChat(message),
    });
    this.browser = new RoomBrowser(options.logger ?? pino({ level: 'silent' }), changed);
    this.platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === options.platform) ?? 'other';
  }

  static async create(options: AppControllerOptions): Promise<AppController> {
    const loaded = await AppSettings.load(options.store);
    const notices = new Notices();
    if (loaded.problem) notices.add('warning', loaded.problem);
    const controller = new AppController(options, notices, loaded.settings);
    // A mapping a crashed run left on the router is removed now, in the background (bounded; nothing is sent when none was left).
    void removeStaleMappings(portMappingJournal(options.store)).catch(() => 0);
    await controller.refreshDevices();
    return controller;
  }

  // -------------------------------------------------------------------------
  // Publishing

  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void {
    return this.publisher.onSnapshot(listener);
  }

  onLevels(listener: (levels: LiveLevels) => void): () => void {
    return this.publisher.onLevels(listener);
  }

  async getSnapshot(): Promise<AppSnapshot> {
    return this.snapshot();
  }

  snapshot(): AppSnapshot {
    return this.publisher.snapshot();
  }

  private compose(): SnapshotContent {
    return {
      connection: this.call.connectionView,
      room: this.call.roomView(),
      settings: this.settings.current,
      devices: this.devices.lists,
      micTest: this.micTest.view,
      pushToTalk: { ...this.pushToTalkScope, pressed: this.call.pushToTalkPressed },
      notices: this.notices.list,
      pendingInvite: this.pendingInvite,
      browse: this.browser.view,
      platform: this.platform,
    };
  }

  private changed(): void {
    this.publisher.changed();
  }

  // -------------------------------------------------------------------------
  // The call

  async host(request: HostRequest): Promise<ActionResult> {
    await this.browser.stop();
    return this.call.host(request);
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
    await this.browser.stop();
    return this.call.join(request);
  }

  browseRooms(request: BrowseRequest): Promise<ActionResult> {
    return this.browser.browse(request);
  }

  stopBrowsing(): Promise<void> {
    return this.browser.stop();
  }

  moveToRoom(request: MoveRequest): Promise<ActionResult> {
    return this.call.moveTo(request);
  }

  leave(): Promise<void> {
    return this.call.leave();
  }

  async setMuted(muted: boolean): Promise<void> {
    this.call.setMuted(muted);
    this.changed();
  }

  async setDeafened(deafened: boolean): Promise<void> {
    this.call.setDeafened(deafened);
    this.changed();
  }

  async setPeerVolume(peerName: string, volume: number): Promise<void> {
    this.settings.rememberPeer(peerName, { volume });
    this.call.setPeerPreference(peerName, { volume });
    this.changed();
  }

  async setPeerMuted(peerName: string, muted: boolean): Promise<void> {
    this.settings.rememberPeer(peerName, { muted });
    this.call.setPeerPreference(peerName, { muted });
    this.changed();
  }

  async pushToTalk(pressed: boolean): Promise<void> {
    this.setPushToTalkPressed(pressed);
  }

  /** From the global key hook (main process) or the focused window. */
  setPushToTalkPressed(pressed: boolean): void {
    if (this.call.setPushToTalk(pressed)) this.changed();
  }

  setPushToTalkScope(scope: PushToTalkView['scope'], note: string | null): void {
    this.pushToTalkScope = { scope, note };
    this.changed();
  }

  // -------------------------------------------------------------------------
  // Settings, devices, the mic test

  get currentSettings(): Settings {
    return this.settings.current;
  }

  async updateSettings(patch: SettingsPatch): Promise<ActionResult> {
    const update = this.settings.update(patch);
    if (!update.ok) return update.refused;
    const { before } = update;
    await this.call.applySettings(before);
    const now = this.settings.current;
    const options = this.micTest.options;
    if (options && (before.inputDevice !== now.inputDevice || (options.playback && before.outputDevice !== now.outputDevice))) {
      await this.micTest.stop();
      await this.startMicTest(options);
    }
    this.micTest.reconfigure(this.settings.send);
    await this.settings.save();
    this.changed();
    return OK;
  }

  refreshDevices(): Promise<void> {
    return this.devices.refresh();
  }

  async startMicTest(options: MicTestOptions): Promise<ActionResult> {
    if (this.micTest.isRunning) return OK;
    if (this.call.inRoom) return fail('inRoom', 'Your level is shown in the room while you are connected.');
    if (!(await this.options.ports.askMicrophoneAccess())) return fail('microphoneDenied', 'Parley may not use the microphone.');
    const { inputDevice, outputDevice } = this.settings.current;
    return this.micTest.start({ input: inputDevice, output: outputDevice }, this.settings.send, options);
  }

  stopMicTest(): Promise<void> {
    return this.micTest.stop();
  }

  // -------------------------------------------------------------------------
  // Small actions

  async copyInvite(): Promise<ActionResult> {
    const invite = this.call.invite;
    if (invite === null) return fail('notHosting', 'Only the host has an invite to copy.');
    this.options.ports.writeClipboard(invite);
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

  async sendChat(text: string): Promise<ActionResult> {
    return this.call.sendChat(text);
  }

  async markChatRead(): Promise<void> {
    this.call.markChatRead();
  }

  async openChatLink(url: string): Promise<ActionResult> {
    if (!isOpenableChatLink(url)) return fail('linkNotAllowed', 'Only web links (http and https) can be opened from chat.');
    this.options.ports.openExternal(url);
    return OK;
  }

  notify(kind: 'info' | 'warning' | 'error', text: string): void {
    this.notices.add(kind, text);
    this.changed();
  }

  async shutdown(): Promise<void> {
    await this.browser.stop();
    await this.micTest.stop();
    await this.leave();
    this.publisher.close();
  }
}

/** Beside the settings file: the mappings in force, for the clean-up after a crash. */
function portMappingJournal(store: SettingsStore): MappingJournal {
  return fileJournal(join(dirname(store.path), 'port-mappings.json'));
}
