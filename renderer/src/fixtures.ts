/**
 * Realistic snapshots, as the main process sends them: the tests render the
 * screens from these, and the design preview (preview.html) shows them.
 */
import { SILENCE_DB, type AppSnapshot, type ChatView, type PeerView, type RoomView, type Settings } from '../../electron/api/contract.js';

/** A fixed "now" so relative times ("2 hours ago") are the same in every run. */
export const FIXTURE_NOW = Date.UTC(2025, 4, 12, 18, 30, 0);

export const fixtureSettings: Settings = {
  displayName: 'Ada',
  inputDevice: null,
  outputDevice: null,
  activation: 'voice',
  vadThresholdDb: null,
  pushToTalkKey: null,
  inputGainDb: 0,
  echoCancellation: true,
  noiseSuppression: 'high',
  autoGain: true,
  chatNotifications: true,
  frameMs: 20,
  bitrateKbps: 24,
  cueSounds: true,
  closeToTray: true,
  peerVolumes: { Dev: { volume: 0.6, muted: true } },
  recentServers: [
    { address: 'voice.example.org:47000', room: 'Raid night', lastUsed: FIXTURE_NOW - 2 * 60 * 60 * 1000 },
    { address: '203.0.113.5:47000', room: 'Lobby', lastUsed: FIXTURE_NOW - 3 * 24 * 60 * 60 * 1000 },
    { address: '[2001:db8::7]:47010', room: 'Book club', lastUsed: FIXTURE_NOW - 16 * 24 * 60 * 60 * 1000 },
  ],
  hostPort: 47000,
  hostRoom: 'Lobby',
  mapPort: true,
};

const devices: AppSnapshot['devices'] = {
  inputs: [
    { name: 'default', hostApi: 'ALSA', isDefault: true },
    { name: 'pulse', hostApi: 'ALSA', isDefault: false },
    { name: 'USB Headset: Audio (hw:2,0)', hostApi: 'ALSA', isDefault: false },
    { name: 'HD-Audio Generic: ALC257 Analog (hw:1,0)', hostApi: 'ALSA', isDefault: false },
  ],
  outputs: [
    { name: 'default', hostApi: 'ALSA', isDefault: true },
    { name: 'pulse', hostApi: 'ALSA', isDefault: false },
    { name: 'USB Headset: Audio (hw:2,0)', hostApi: 'ALSA', isDefault: false },
    { name: 'HDMI 0: HDMI (hw:0,3)', hostApi: 'ALSA', isDefault: false },
  ],
};

export const idleSnapshot: AppSnapshot = {
  revision: 1,
  connection: { state: 'idle' },
  room: null,
  settings: fixtureSettings,
  devices,
  micTest: null,
  pushToTalk: { scope: 'global', note: null, pressed: false },
  notices: [],
  browse: null,
  pendingInvite: null,
  platform: 'linux',
};

export const firstRunSnapshot: AppSnapshot = {
  ...idleSnapshot,
  settings: { ...fixtureSettings, displayName: '', recentServers: [], peerVolumes: {} },
};

export const connectingSnapshot: AppSnapshot = {
  ...idleSnapshot,
  revision: 2,
  connection: { state: 'connecting', target: 'voice.example.org:47000' },
};

export function failedSnapshot(code: string, message: string): AppSnapshot {
  return { ...idleSnapshot, revision: 3, connection: { state: 'failed', error: { code, message } } };
}

export const unreachableSnapshot = failedSnapshot(
  'unreachable',
  'The relay did not answer. Check the address, and that its UDP port is open.',
);
export const wrongPasswordSnapshot = failedSnapshot('wrongPassword', 'Wrong relay password.');
export const roomFullSnapshot = failedSnapshot('roomFull', 'The room is full.');

export const ben: PeerView = {
  id: 12,
  name: 'Ben',
  muted: false,
  deafened: false,
  talking: true,
  levelDb: -18,
  volume: 1,
  localMuted: false,
  quality: { rttMs: 38, lossPct: 0.4, jitterMs: 3, grade: 'good', latePct: 0.1, bufferMs: 40, kbps: 26.4 },
};

export const chloe: PeerView = {
  id: 15,
  name: 'Chloe',
  muted: true,
  deafened: false,
  talking: false,
  levelDb: SILENCE_DB,
  volume: 1,
  localMuted: false,
  quality: { rttMs: 96, lossPct: 3.2, jitterMs: 14, grade: 'fair', latePct: 1.5, bufferMs: 80, kbps: 0 },
};

export const dev: PeerView = {
  id: 21,
  name: 'Dev',
  muted: false,
  deafened: true,
  talking: false,
  levelDb: SILENCE_DB,
  volume: 0.6,
  localMuted: true,
  quality: { rttMs: 420, lossPct: 11.5, jitterMs: 48, grade: 'poor', latePct: 6, bufferMs: 160, kbps: 0 },
};

const minutesAgo = (minutes: number): number => FIXTURE_NOW - minutes * 60_000;

/** A room's chat as it looks a while into an evening: history, a link, a mention, our own posts in each state. */
export const chat: ChatView = {
  available: true,
  unread: 0,
  messages: [
    { key: '1:1', senderName: 'Ben', own: false, parts: [{ kind: 'text', text: 'Starting in 10, grab a drink' }], sentAt: minutesAgo(14), state: 'sent', mentionsMe: false, history: true },
    {
      key: '1:2',
      senderName: 'Chloé',
      own: false,
      parts: [
        { kind: 'text', text: 'Route for tonight: ' },
        { kind: 'link', text: 'https://maps.example.org/raid?night=3', url: 'https://maps.example.org/raid?night=3' },
      ],
      sentAt: minutesAgo(9),
      state: 'sent',
      mentionsMe: false,
      history: false,
    },
    { key: '1:3', senderName: 'Dev', own: false, parts: [{ kind: 'text', text: 'Ada, can you take the left side?' }], sentAt: minutesAgo(4), state: 'sent', mentionsMe: true, history: false },
    { key: '1:4', senderName: 'Ada', own: true, parts: [{ kind: 'text', text: 'On it, heading left now' }], sentAt: minutesAgo(3), state: 'sent', mentionsMe: false, history: false },
    { key: 'local-1', senderName: 'Ada', own: true, parts: [{ kind: 'text', text: 'back in 5' }], sentAt: minutesAgo(1), state: 'failed', mentionsMe: false, history: false },
  ],
};

export const room: RoomView = {
  name: 'Raid night',
  address: 'voice.example.org:47000',
  encrypted: true,
  self: {
    id: 7,
    name: 'Ada',
    muted: false,
    deafened: false,
    talking: false,
    inputLevelDb: -52,
    redundancy: false,
    transport: 'udp',
    uplinkKbps: 27.5,
    quality: { rttMs: 34, lossPct: 0.2, jitterMs: 2, grade: 'good' },
  },
  peers: [ben, chloe, dev],
  hosting: null,
  chat,
  directory: [
    { name: 'AFK', locked: false, opensWithoutSecret: false, memberCount: 1, members: [{ name: 'Sam', muted: true, deafened: true }], current: false },
    {
      name: 'Raid night',
      locked: true,
      opensWithoutSecret: false,
      memberCount: 4,
      members: [
        { name: 'Ada', muted: false, deafened: false },
        { name: 'Ben', muted: false, deafened: false },
        { name: 'Chloe', muted: true, deafened: false },
        { name: 'Dev', muted: false, deafened: false },
      ],
      current: true,
    },
    {
      name: 'Strategy',
      locked: true,
      opensWithoutSecret: false,
      memberCount: 2,
      members: [
        { name: 'Mira', muted: false, deafened: false },
        { name: 'Olu', muted: false, deafened: false },
      ],
      current: false,
    },
    { name: 'Watch party', locked: false, opensWithoutSecret: false, memberCount: 0, members: [], current: false },
  ],
  movingTo: null,
};

export const roomSnapshot: AppSnapshot = {
  ...idleSnapshot,
  revision: 10,
  connection: { state: 'connected' },
  room,
};

export const hostingSnapshot: AppSnapshot = {
  ...roomSnapshot,
  room: {
    ...room,
    name: 'Lobby',
    address: '127.0.0.1:47000',
    self: { ...room.self, talking: true, inputLevelDb: -21 },
    peers: [{ ...ben, talking: false, levelDb: SILENCE_DB }],
    hosting: {
      port: 47000,
      addresses: ['198.51.100.23:47000', '192.168.1.20:47000', '[2001:db8::20]:47000'],
      invite: 'parley://198.51.100.23:47000/Lobby#secret=q3Jx7cV0bR2mYk8sTn4wHg',
      passwordSet: false,
      reachability: { verdict: 'anywhere', message: 'Friends anywhere can join at 198.51.100.23:47000 (your router opened the port).' },
    },
  },
};

/** Hosting where the router would not open the port: only the home network can join. */
export const hostingLanOnlySnapshot: AppSnapshot = {
  ...hostingSnapshot,
  room: {
    ...hostingSnapshot.room!,
    hosting: {
      port: 47000,
      addresses: ['192.168.1.20:47000', '[2001:db8::20]:47000'],
      invite: 'parley://192.168.1.20:47000/Lobby#secret=q3Jx7cV0bR2mYk8sTn4wHg',
      passwordSet: false,
      reachability: {
        verdict: 'lanOnly',
        message: "Only people on your network can join: your router did not open the port. Forward UDP 47000 to 192.168.1.20 in your router's settings.",
      },
    },
  },
};

export const unencryptedSnapshot: AppSnapshot = {
  ...roomSnapshot,
  room: { ...room, name: 'Lobby', address: '203.0.113.5:47000', encrypted: false, peers: [ben] },
};

export const reconnectingSnapshot: AppSnapshot = {
  ...roomSnapshot,
  revision: 11,
  connection: {
    state: 'reconnecting',
    reason: 'connectionLost',
    attempt: 3,
    retryInMs: 4000,
    lastError: 'The relay did not answer. Check the address, and that its UDP port is open.',
  },
  room: {
    ...room,
    self: { ...room.self, quality: { rttMs: null, lossPct: null, jitterMs: null, grade: 'unknown' } },
    peers: room.peers.map((p) => ({ ...p, talking: false, levelDb: SILENCE_DB })),
  },
};

export const pushToTalkSnapshot: AppSnapshot = {
  ...roomSnapshot,
  settings: { ...fixtureSettings, activation: 'pushToTalk', pushToTalkKey: 'F8' },
  pushToTalk: { scope: 'focused', note: 'Wayland does not let apps watch keys in the background.', pressed: false },
};

export const settingsSnapshot: AppSnapshot = {
  ...idleSnapshot,
  revision: 20,
  settings: { ...fixtureSettings, inputDevice: 'USB Headset: Audio (hw:2,0)', vadThresholdDb: -45 },
  micTest: { levelDb: -31, peakDb: -19, gateOpen: true, playback: false },
};

export const missingDeviceSnapshot: AppSnapshot = {
  ...idleSnapshot,
  revision: 21,
  settings: { ...fixtureSettings, inputDevice: 'Blue Yeti: USB Audio (hw:3,0)' },
  notices: [
    {
      id: 4,
      kind: 'warning',
      text: 'The microphone "Blue Yeti: USB Audio (hw:3,0)" is not connected; Parley is using the system default until it is back.',
    },
  ],
};

export const noticesSnapshot: AppSnapshot = {
  ...roomSnapshot,
  revision: 12,
  notices: [
    { id: 1, kind: 'info', text: 'Chloe joined the room.' },
    { id: 2, kind: 'warning', text: 'Your network is losing packets: Parley turned on loss protection.' },
    { id: 3, kind: 'error', text: 'The output device "USB Headset: Audio (hw:2,0)" stopped. Parley switched to the system default.' },
  ],
  room: { ...room, self: { ...room.self, redundancy: true, quality: { rttMs: 61, lossPct: 5.5, jitterMs: 9, grade: 'fair' } } },
};

/** What the design preview offers, in order. */
/** The connect screen with a relay's rooms listed, to pick one to join. */
export const browseSnapshot: AppSnapshot = {
  ...idleSnapshot,
  revision: 3,
  browse: {
    target: 'voice.example.org:47000',
    state: 'listed',
    error: null,
    rooms: room.directory!.map((listed) => ({ ...listed, current: false })),
  },
};

export const previewFixtures: ReadonlyArray<{ id: string; title: string; snapshot: AppSnapshot }> = [
  { id: 'connect', title: 'Connect', snapshot: idleSnapshot },
  { id: 'browse', title: 'Connect, a relay’s rooms listed', snapshot: browseSnapshot },
  { id: 'first-run', title: 'Connect, first run', snapshot: firstRunSnapshot },
  { id: 'connecting', title: 'Connecting', snapshot: connectingSnapshot },
  { id: 'unreachable', title: 'Relay unreachable', snapshot: unreachableSnapshot },
  { id: 'wrong-password', title: 'Wrong password', snapshot: wrongPasswordSnapshot },
  { id: 'room-full', title: 'Room full', snapshot: roomFullSnapshot },
  { id: 'room', title: 'In a room', snapshot: roomSnapshot },
  { id: 'hosting', title: 'Hosting', snapshot: hostingSnapshot },
  { id: 'unencrypted', title: 'Room without encryption', snapshot: unencryptedSnapshot },
  { id: 'reconnecting', title: 'Reconnecting', snapshot: reconnectingSnapshot },
  { id: 'push-to-talk', title: 'Push-to-talk (window focus only)', snapshot: pushToTalkSnapshot },
  { id: 'notices', title: 'Notices', snapshot: noticesSnapshot },
  { id: 'settings', title: 'Settings with mic test', snapshot: settingsSnapshot },
  { id: 'missing-device', title: 'Missing microphone', snapshot: missingDeviceSnapshot },
];
