/**
 * The one contract between Parley's main process and its window. Main
 * implements it (electron/app), the preload exposes it over IPC
 * (electron/main/preload.ts), the renderer calls it as `window.parley`, and
 * the browser tests serve it over a test bridge. Types only, plus the list
 * of method names the bridges are generated from and a few constants:
 * importing this module pulls no code into the renderer.
 */
import type { Settings, SettingsPatch } from './settings.js';

export type { Settings, SettingsPatch };

export interface UserError {
  /** Stable, for tests and for choosing an icon; the message is what the user reads. */
  code: string;
  message: string;
}

export type ActionResult = { ok: true } | { ok: false; error: UserError };

export interface DeviceInfo {
  name: string;
  hostApi: string;
  isDefault: boolean;
}

/**
 * What every level in a snapshot reads for silence, in dBFS: the engine's
 * floor (electron/engine/dsp/decibels.ts, which this contract may not
 * import; test/api/live-levels.test.ts keeps the two equal).
 */
export const SILENCE_DB = -100;

export interface LinkQuality {
  rttMs: number | null;
  lossPct: number | null;
  jitterMs: number | null;
  /** A summary for an icon: good (< 2 % loss, < 150 ms), fair, poor (> 8 % loss or > 400 ms). */
  grade: 'good' | 'fair' | 'poor' | 'unknown';
}

export interface SelfView {
  id: number;
  name: string;
  muted: boolean;
  deafened: boolean;
  /** The gate is open: we are sending voice now. */
  talking: boolean;
  /** Microphone level after gain, dBFS (SILENCE_DB for silence). */
  inputLevelDb: number;
  /** Loss-protection redundancy is on because the network is losing packets. */
  redundancy: boolean;
  /** "tcp" when the network blocks UDP and the call goes over TCP instead (a little more delay on a poor network). */
  transport: 'udp' | 'tcp';
  uplinkKbps: number;
  quality: LinkQuality;
}

export interface PeerView {
  id: number;
  name: string;
  muted: boolean;
  deafened: boolean;
  /** Their audio is playing here right now. */
  talking: boolean;
  levelDb: number;
  /** Our local settings for them (0–2, 1 = as sent; muted only here). */
  volume: number;
  localMuted: boolean;
  /** Their media arriving here: payload kbit/s over the last 3 s (0 while they are silent). */
  quality: LinkQuality & { latePct: number | null; bufferMs: number | null; kbps: number };
}

export interface HostingView {
  port: number;
  /** Addresses friends can use, "host:port" (IPv6 in brackets). */
  addresses: string[];
  invite: string;
  passwordSet: boolean;
  /** Who can join, as the home router's answer decides it, in one sentence for the host. */
  reachability: ReachabilityView;
}

/**
 * `checking` while the router is asked; `anywhere` (the router opened the port, or this
 * machine's address is public); `lanOnly` (not opened: the message says what to forward
 * where); `sharedAddress` (the provider's carrier-grade NAT: a relay on a server is needed);
 * `thisComputer` (no network, or a relay bound to loopback).
 */
export interface ReachabilityView {
  verdict: 'checking' | 'anywhere' | 'lanOnly' | 'sharedAddress' | 'thisComputer';
  message: string;
}

/** A piece of a chat message as the window shows it: text, or a link it may offer to open (never HTML either way). */
export type ChatTextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string };

export interface ChatMessageView {
  /** Stable for the message's life in the list. */
  key: string;
  senderName: string;
  /** Ours: sent from this window. */
  own: boolean;
  /** The text in pieces; null when it could not be read (sealed under another key, or not valid text). */
  parts: ChatTextPart[] | null;
  /** When the relay received it (ours: when we sent it, until confirmed), ms since the Unix epoch. */
  sentAt: number;
  /** Ours on its way, confirmed by the relay, or given up. Always 'sent' for others'. */
  state: 'sending' | 'sent' | 'failed';
  /** It names us. */
  mentionsMe: boolean;
  /** Posted before we joined. */
  history: boolean;
}

export interface ChatView {
  /** The relay carries text chat (an older one does not). */
  available: boolean;
  /** Oldest first, at most CHAT_LOG_LIMIT. */
  messages: ChatMessageView[];
  /** Messages from others since the window last said it showed them. */
  unread: number;
}

/** How many messages a room's chat keeps for the window. */
export const CHAT_LOG_LIMIT = 500;

export interface DirectoryMemberView {
  name: string;
  muted: boolean;
  deafened: boolean;
}

/** One of a relay's rooms as its directory lists it (names checked: nothing from the network is trusted to be well formed). */
export interface DirectoryRoomView {
  name: string;
  /** It has a secret: going in needs it (an invite, or the room's password), unless the relay hands it out. */
  locked: boolean;
  /** The relay hands out this room's secret (a hosted room): no secret is asked for. */
  opensWithoutSecret: boolean;
  memberCount: number;
  /** As many as the relay listed (a very full relay lists counts only). */
  members: DirectoryMemberView[];
  /** We are in it. */
  current: boolean;
}

/** The rooms of a relay shown on the connect screen before joining one. */
export interface BrowseView {
  /** "host:port" as the user gave it. */
  target: string;
  state: 'loading' | 'listed' | 'failed';
  rooms: DirectoryRoomView[];
  error: UserError | null;
}

export interface RoomView {
  name: string;
  /** As typed or invited, "host:port". */
  address: string;
  encrypted: boolean;
  self: SelfView;
  peers: PeerView[];
  hosting: HostingView | null;
  chat: ChatView;
  /** The relay's rooms, ours among them; null when the relay lists none (it keeps them private, or is older). */
  directory: DirectoryRoomView[] | null;
  /** The room a move is under way to. */
  movingTo: string | null;
}

export type ConnectionView =
  | { state: 'idle' }
  | { state: 'connecting'; target: string }
  | { state: 'connected' }
  | { state: 'reconnecting'; reason: 'connectionLost' | 'relayClosed' | 'relayRestarting' | 'sessionExpired'; attempt: number; retryInMs: number; lastError: string | null }
  | { state: 'failed'; error: UserError };

export interface Notice {
  id: number;
  kind: 'info' | 'warning' | 'error';
  text: string;
}

export interface PushToTalkView {
  /** 'global' works while Parley is in the background; 'focused' only while its window has focus. */
  scope: 'global' | 'focused';
  /** Why global is unavailable (e.g. Wayland, no Accessibility permission), for the settings screen. */
  note: string | null;
  pressed: boolean;
}

export interface MicTestView {
  levelDb: number;
  peakDb: number;
  /** Whether the voice gate would open at this level. */
  gateOpen: boolean;
  /** The processed microphone (what others would hear) is being played back to the user. */
  playback: boolean;
}

export interface MicTestOptions {
  /** Play what others would hear back through the chosen speakers (best with headphones). */
  playback: boolean;
}

/**
 * What moves on its own while a call or the mic test runs: levels, talking
 * and link measures. Main publishes these apart from the rest of the state,
 * every 100 ms while they change; the window lays them over the snapshot it
 * shows (withLevels in live-levels.ts).
 */
export type SelfLevels = Pick<SelfView, 'talking' | 'inputLevelDb' | 'redundancy' | 'uplinkKbps' | 'quality'>;
export type PeerLevels = Pick<PeerView, 'id' | 'talking' | 'levelDb' | 'quality'>;

export interface LiveLevels {
  /** From the snapshots' counter: levels older than the snapshot shown are ignored. */
  revision: number;
  /** Our own row; null outside a room. */
  self: SelfLevels | null;
  /** By member id; a member the snapshot does not list is ignored. */
  peers: PeerLevels[];
  micTest: MicTestView | null;
}

export interface AppSnapshot {
  /** Increases with every snapshot (and every LiveLevels), so a view can ignore one that arrives late. */
  revision: number;
  connection: ConnectionView;
  room: RoomView | null;
  settings: Settings;
  devices: { inputs: DeviceInfo[]; outputs: DeviceInfo[] };
  micTest: MicTestView | null;
  pushToTalk: PushToTalkView;
  notices: Notice[];
  /** An invite link the user opened from outside (a clicked parley:// link), waiting in the Join form. */
  pendingInvite: string | null;
  /** A relay's rooms, asked for on the connect screen; null when none were asked for. */
  browse: BrowseView | null;
  platform: 'linux' | 'darwin' | 'win32' | 'other';
}

export interface HostRequest {
  name: string;
  room: string;
  port: number;
  password?: string;
}

export interface JoinRequest {
  /** An invite link or an address ("host", "host:port", "[v6]:port"). */
  target: string;
  name: string;
  /** Used when the target is a plain address; an invite names its own room. */
  room?: string;
  password?: string;
  /** The room's secret or password, typed for a locked room picked from the list; an invite carries its own. */
  secret?: string;
}

export interface BrowseRequest {
  /** An address or an invite link: only its relay is used. */
  target: string;
  /** The name the relay sees while we look (no one else does). */
  name: string;
  password?: string;
}

export interface MoveRequest {
  room: string;
  /** The room's secret or password, for a locked room. */
  secret?: string;
}

/** Every action the window can ask of the main process. */
export interface ParleyActions {
  getSnapshot(): Promise<AppSnapshot>;
  host(request: HostRequest): Promise<ActionResult>;
  join(request: JoinRequest): Promise<ActionResult>;
  /** Leaves the room; when hosting, also stops the relay (members are told). */
  leave(): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  setDeafened(deafened: boolean): Promise<void>;
  setPeerVolume(peerName: string, volume: number): Promise<void>;
  setPeerMuted(peerName: string, muted: boolean): Promise<void>;
  updateSettings(patch: SettingsPatch): Promise<ActionResult>;
  refreshDevices(): Promise<void>;
  startMicTest(options: MicTestOptions): Promise<ActionResult>;
  stopMicTest(): Promise<void>;
  /** Push-to-talk from the window itself, when no global hook is available. */
  pushToTalk(pressed: boolean): Promise<void>;
  copyInvite(): Promise<ActionResult>;
  dismissNotice(id: number): Promise<void>;
  /** Opens an allow-listed link (the Parley documentation) in the system browser. */
  openHelp(topic: HelpTopic): Promise<void>;
  /** Posts to the room's text chat. */
  sendChat(text: string): Promise<ActionResult>;
  /** The window showed the chat: the unread count starts again from zero. */
  markChatRead(): Promise<void>;
  /** Opens a link from a chat message in the system browser, once the user confirmed its address; web links only. */
  openChatLink(url: string): Promise<ActionResult>;
  /** Lists a relay's rooms on the connect screen (the snapshot's `browse`), kept current until stopped or a room is joined. */
  browseRooms(request: BrowseRequest): Promise<ActionResult>;
  stopBrowsing(): Promise<void>;
  /** Moves to another room of the same relay without leaving the call. */
  moveToRoom(request: MoveRequest): Promise<ActionResult>;
}

export type HelpTopic = 'troubleshooting' | 'hosting' | 'pushToTalk';

export type ApiMethod = keyof ParleyActions;

/** The bridges (preload, test bridge) are generated from this list; main checks it is complete. */
export const API_METHODS = [
  'getSnapshot',
  'host',
  'join',
  'leave',
  'setMuted',
  'setDeafened',
  'setPeerVolume',
  'setPeerMuted',
  'updateSettings',
  'refreshDevices',
  'startMicTest',
  'stopMicTest',
  'pushToTalk',
  'copyInvite',
  'dismissNotice',
  'openHelp',
  'sendChat',
  'markChatRead',
  'openChatLink',
  'browseRooms',
  'stopBrowsing',
  'moveToRoom',
] as const satisfies readonly ApiMethod[];

/** What `window.parley` is in the renderer. */
export interface ParleyApi extends ParleyActions {
  /** Called with every new snapshot; returns a function that unsubscribes. */
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
  /** Called with the live levels between snapshots; returns a function that unsubscribes. */
  onLevels(listener: (levels: LiveLevels) => void): () => void;
}

export const IPC_PREFIX = 'parley:';
export const SNAPSHOT_CHANNEL = 'parley:snapshot';
export const LEVELS_CHANNEL = 'parley:levels';

// Compile-time check that API_METHODS names every action, so no bridge can miss one.
type UnlistedMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const everyMethodListed: UnlistedMethods extends never ? true : UnlistedMethods = true;
void everyMethodListed;
