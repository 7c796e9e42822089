import { EventEmitter, once } from 'node:events';
import pino, { type Logger } from 'pino';
import type { ReceiverReport } from '../../server/protocol/session-messages.js';
import { systemClock, type Clock } from '../../server/shared/clock.js';
import type { AudioDeviceError, AudioInput, AudioOutput } from '../audio/types.js';
import { BLOCK_SAMPLES } from '../engine/audio-format.js';
import { CuePlayer, type CueKind } from '../engine/cues.js';
import { Mixer } from '../engine/mix/mixer.js';
import { OpusFrameDecoder } from '../engine/receive/opus-frame-decoder.js';
import { PeerReceiver } from '../engine/receive/peer-receiver.js';
import { loadCaptureProcessing } from '../engine/send/processing/load.js';
import { captureProcessingOf, SendPipeline, type OutgoingPacket, type SendPipelineSettings, type SendStats } from '../engine/send/send-pipeline.js';
import type { PeerInfo } from '../net/roster.js';
import type { ChatEvent, ChatPostResult } from '../net/chat/session-chat.js';
import { RelaySession, type LinkReport, type MediaArrival, type MoveTarget, type SessionOptions, type SessionStatus } from '../net/session.js';
import type { ListedRoom } from '../net/directory-sync.js';
import { RateMeter } from './rate-meter.js';
import { voiceSnapshot, type VoiceSnapshot } from './voice-snapshot.js';

export type { PeerSnapshot, SelfSnapshot, VoiceSnapshot } from './voice-snapshot.js';

export interface PeerPreference {
  volume: number;
  muted: boolean;
}

export interface VoiceClientOptions {
  session: Omit<SessionOptions, 'clock' | 'logger' | 'receiverReports'>;
  input: AudioInput;
  output: AudioOutput;
  send: SendPipelineSettings;
  /** Local volume and mute for a peer, looked up by display name when it appears. */
  peerPreference?: (name: string) => PeerPreference | undefined;
  cueSounds?: boolean;
  /**
   * The link is expected to be lossy (the last call to this relay ended on a
   * lossy link): with RED on auto, send it from the first packet instead
   * of waiting seconds for the first loss report.
   */
  expectLoss?: boolean;
  clock?: Clock;
  logger?: Logger;
}

export interface VoiceClientEvents {
  status: [SessionStatus];
  peerJoined: [PeerInfo];
  peerLeft: [PeerInfo];
  deviceError: [{ direction: 'input' | 'output'; error: AudioDeviceError }];
  /** The call moved to UDP, or to TCP because UDP stopped getting through. */
  transport: ['udp' | 'tcp'];
  /** The relay's directory changed (once watched). */
  directory: [ListedRoom[]];
  /** We moved to this room without leaving the session. */
  moved: [string];
}

interface PeerEntry {
  info: PeerInfo;
  receiver: PeerReceiver;
  downlink: RateMeter;
}

/** How long start() waits for the room's first roster (sent just after WELCOME; one might be lost). */
const FIRST_ROSTER_WAIT_MS = 1_000;

/**
 * One person's voice chat: the microphone through the send pipeline to the
 * relay, and every peer's packets through its own receive path into the mixer
 * and out to the speaker. The playout is paced by the output device pulling
 * 10 ms blocks; capture by the input device pushing them. Runs in plain Node:
 * the desktop app, the `parley join` command and the tests all use it.
 */
export class VoiceClient extends EventEmitter<VoiceClientEvents> {
  private readonly peers = new Map<number, PeerEntry>();
  private readonly mixer = new Mixer();
  private readonly cues = new CuePlayer();
  private readonly uplink: RateMeter;
  private readonly clock: Clock;
  private readonly log: Logger;
  private muted: boolean;
  private deafened: boolean;
  private lastLink: LinkReport | undefined;
  private closed = false;
  private input: AudioInput;
  private output: AudioOutput;

  private constructor(
    private readonly session: RelaySession,
    private readonly pipeline: SendPipeline,
    private readonly options: VoiceClientOptions,
    clock: Clock,
    log: Logger,
  ) {
    super();
    this.clock = clock;
    this.log = log;
    this.input = options.input;
    this.output = options.output;
    this.muted = options.session.flags?.muted ?? false;
    this.deafened = options.session.flags?.deafened ?? false;
    this.cues.enabled = options.cueSounds ?? true;
    this.uplink = new RateMeter(clock);
    pipeline.setMuted(this.muted || this.deafened);
    session.on('media', (arrival) => this.onMedia(arrival));
    session.on('directory', (rooms) => this.emit('directory', rooms));
    session.on('moved', (room) => this.emit('moved', room));
    session.on('roster', (peers) => this.onRoster(peers));
    session.on('link', (report) => this.onLink(report));
    session.on('status', (status) => this.onStatus(status));
    // Over TCP nothing is lost, so RED copies would only add to a stream that may be behind.
    pipeline.setReliableLink(session.transportKind === 'tcp');
    session.on('transport', (kind) => {
      pipeline.setReliableLink(kind === 'tcp');
      this.emit('transport', kind);
    });
  }

  /** Joins and starts audio; throws a JoinError (for the user) or an AudioDeviceError. */
  static async start(options: VoiceClientOptions): Promise<VoiceClient> {
    const clock = options.clock ?? systemClock;
    const log = options.logger ?? pino({ level: 'silent' });
    // libopus compiles once here, so every peer's receiver is made at once and its decoder is ready within milliseconds;
    // the echo canceller's and noise suppressor's code loads once too.
    const [processing] = await Promise.all([loadCaptureProcessing(), OpusFrameDecoder.prepare()]);
    for (const { stage, reason } of processing.unavailable) log.warn({ stage, reason }, 'capture processing stage unavailable: passing audio through');
    const processor = processing.create(captureProcessingOf(options.send), options.output);
    const pipeline = new SendPipeline({ ...options.send, clock, processor });
    if (options.expectLoss === true) pipeline.expectLoss();
    // The session pings (with receiver reports) as soon as it joins, before the client exists to answer.
    const reports: { from?: VoiceClient } = {};
    const session = await RelaySession.connect({
      ...options.session,
      clock,
      logger: log,
      receiverReports: () => reports.from?.receiverReports() ?? [],
    });
    const client = new VoiceClient(session, pipeline, options, clock, log);
    reports.from = client;
    // So the first snapshot lists who is already in the room, however fast the audio starts.
    const firstRoster = session.peers.length > 0 ? undefined : once(session, 'roster', { signal: AbortSignal.timeout(FIRST_ROSTER_WAIT_MS) }).catch(() => undefined);
    try {
      await client.startAudio(options.input, options.output);
    } catch (error) {
      await client.leave();
      throw error;
    }
    await firstRoster;
    client.onRoster(session.peers);
    return client;
  }

  private async startAudio(input: AudioInput, output: AudioOutput): Promise<void> {
    this.watchDevice(input, 'input');
    this.watchDevice(output, 'output');
    await output.start(() => this.playoutTick());
    this.pipeline.setDeviceDelayMs(output.bufferedMs);
    await this.startInput(input);
  }

  private startInput(input: AudioInput): Promise<void> {
    return input.start(
      (block) => this.onMicBlock(block),
      () => this.onInputEnded(input),
    );
  }

  private watchDevice(device: AudioInput | AudioOutput, direction: 'input' | 'output'): void {
    device.on('error', (error) => {
      this.log.warn({ direction, code: error.code, message: error.message }, 'audio device trouble');
      this.emit('deviceError', { direction, error });
    });
  }

  // -------------------------------------------------------------------------
  // Send path: driven by the microphone's 10 ms blocks

  private onMicBlock(block: Float32Array): void {
    if (this.closed) return;
    try {
      this.send(this.pipeline.push(block));
    } catch (error) {
      this.log.error({ err: error }, 'send path failed on a block');
    }
  }

  /** A file ran out: no block will come to lower our talking flag and level, so lower them now. */
  private onInputEnded(input: AudioInput): void {
    if (this.closed || input !== this.input) return;
    try {
      this.send(this.pipeline.endOfInput());
    } catch (error) {
      this.log.error({ err: error }, 'send path failed at the end of the input');
    }
  }

  private send(packets: readonly OutgoingPacket[]): void {
    for (const packet of packets) {
      this.session.sendMedia(packet, packet.payload);
      this.uplink.add(packet.payload.length);
    }
    const talking = this.pipeline.talking;
    if (talking !== this.session.ownFlags.talking) this.session.setFlags({ talking });
  }

  // -------------------------------------------------------------------------
  // Receive path: packets in as they arrive, audio out when the device asks

  private onMedia(arrival: MediaArrival): void {
    const peer = this.peers.get(arrival.peerId);
    if (!peer) return;
    peer.downlink.add(arrival.payload.length);
    peer.receiver.insert(arrival);
  }

  /** One 10 ms block for the speaker: every peer pulled (so their buffers keep time), mixed, limited. */
  private playoutTick(): Float32Array {
    if (this.closed) return new Float32Array(BLOCK_SAMPLES);
    try {
      const now = this.clock.now();
      const blocks: Float32Array[] = [];
      for (const peer of this.peers.values()) blocks.push(peer.receiver.pull(now));
      const mixed = this.deafened ? new Float32Array(BLOCK_SAMPLES) : this.mixer.mix(blocks);
      this.cues.mixInto(mixed);
      // Exactly what the speaker is handed is what may come back through the microphone.
      this.pipeline.render(mixed);
      return mixed;
    } catch (error) {
      this.log.error({ err: error }, 'playout failed on a block');
      return new Float32Array(BLOCK_SAMPLES);
    }
  }

  private receiverReports(): ReceiverReport[] {
    const reports: ReceiverReport[] = [];
    for (const [ssrc, peer] of this.peers) reports.push({ ssrc, ...peer.receiver.receiverReport() });
    return reports;
  }

  // -------------------------------------------------------------------------
  // Session events

  private onRoster(peers: PeerInfo[]): void {
    if (this.closed) return;
    const present = new Set(peers.map((p) => p.id));
    for (const [id, entry] of this.peers) {
      if (present.has(id)) continue;
      this.peers.delete(id);
      entry.receiver.close();
      this.cues.play('leave');
      this.emit('peerLeft', entry.info);
    }
    for (const info of peers) {
      const existing = this.peers.get(info.id);
      if (existing) {
        existing.info = info;
        continue;
      }
      this.peers.set(info.id, { info, receiver: this.receiverFor(info), downlink: new RateMeter(this.clock) });
      this.cues.play('join');
      this.emit('peerJoined', info);
    }
  }

  private receiverFor(info: PeerInfo): PeerReceiver {
    const receiver = new PeerReceiver(OpusFrameDecoder.start());
    const preference = this.options.peerPreference?.(info.name);
    if (preference) {
      receiver.volume = preference.volume;
      receiver.muted = preference.muted;
    }
    return receiver;
  }

  private onLink(report: LinkReport): void {
    this.lastLink = report;
    this.pipeline.onLinkReport(report);
  }

  private onStatus(status: SessionStatus): void {
    if (status.state === 'reconnecting') this.cues.play('disconnected');
    if (status.state === 'connected') {
      this.cues.play('connected');
      // A rejoin starts a new session: restore what we were, including mute and deafen.
      this.session.setFlags({ muted: this.muted, deafened: this.deafened });
    }
    this.emit('status', status);
  }

  // -------------------------------------------------------------------------
  // Controls

  /** The room's text chat from the join on, what came before this call first (RelaySession.onChat). One listener. */
  onChat(listener: (event: ChatEvent) => void): void {
    this.session.onChat(listener);
  }

  /** Posts to the room's text chat; the post comes back as a chat message event with `own` set. */
  postChat(text: string): ChatPostResult {
    return this.session.postChat(text);
  }

  get chatAvailable(): boolean {
    return this.session.chatAvailable;
  }

  /** The room we are in (it changes when we move). */
  get room(): string {
    return this.session.room;
  }

  /** The relay's rooms as last listed; undefined until watched and listed (or when the relay lists none). */
  get directory(): ListedRoom[] | undefined {
    return this.session.directory;
  }

  watchDirectory(): void {
    this.session.watchDirectory();
  }

  /** Moves to another room in the same session (RelaySession.moveTo): the peers change, the audio path stays. */
  moveTo(room: string, target?: MoveTarget): Promise<void> {
    return this.session.moveTo(room, target);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.pipeline.setMuted(muted || this.deafened);
    this.session.setFlags({ muted });
  }

  /** Deafened: we hear nothing, the relay sends us nothing, and (as in Mumble) we are muted too. */
  setDeafened(deafened: boolean): void {
    this.deafened = deafened;
    this.pipeline.setMuted(this.muted || deafened);
    this.session.setFlags({ deafened });
  }

  setPushToTalk(pressed: boolean): void {
    this.pipeline.setPushToTalk(pressed);
  }

  setPeerVolume(peerId: number, volume: number): void {
    const peer = this.peers.get(peerId);
    if (peer) peer.receiver.volume = volume;
  }

  setPeerMuted(peerId: number, muted: boolean): void {
    const peer = this.peers.get(peerId);
    if (peer) peer.receiver.muted = muted;
  }

  setCueSounds(enabled: boolean): void {
    this.cues.enabled = enabled;
  }

  reconfigure(settings: Partial<SendPipelineSettings>): void {
    this.pipeline.reconfigure(settings);
  }

  /** Swaps the microphone (device picked in settings, or a device that came back). */
  async replaceInput(input: AudioInput): Promise<void> {
    await this.input.stop();
    this.input = input;
    this.watchDevice(input, 'input');
    await this.startInput(input);
  }

  async replaceOutput(output: AudioOutput): Promise<void> {
    await this.output.stop();
    this.output = output;
    this.watchDevice(output, 'output');
    await output.start(() => this.playoutTick());
    // A new device has a new echo path: the canceller searches for its delay afresh.
    this.pipeline.setDeviceDelayMs(output.bufferedMs);
  }

  /** What the send path has encoded and sent so far. */
  get sendStats(): SendStats {
    return this.pipeline.stats;
  }

  /** Our member id (SSRC) in the current session. */
  get memberId(): number {
    return this.session.memberId;
  }

  /** Moves to a new local port, as a change of network does; the room keeps our place. */
  roam(): Promise<void> {
    return this.session.roam();
  }

  snapshot(): VoiceSnapshot {
    return voiceSnapshot({
      status: this.session.status,
      encrypted: this.session.encrypted,
      self: {
        id: this.session.memberId,
        name: this.options.session.name,
        muted: this.muted,
        deafened: this.deafened,
        talking: this.pipeline.talking,
        inputLevelDb: this.pipeline.level.rmsDb,
        redundancy: this.pipeline.redActive,
        transport: this.session.transportKind,
        uplinkKbps: this.uplink.kbps(),
        rttMs: this.session.rttMs,
        link: this.lastLink,
        processing: this.pipeline.processing ?? null,
      },
      peers: [...this.peers.values()].map(({ info, receiver, downlink }) => ({
        info,
        stats: receiver.ready ? receiver.stats() : undefined,
        volume: receiver.volume,
        localMuted: receiver.muted,
        downlinkKbps: downlink.kbps(),
      })),
    });
  }

  /** Whether loss reports say our link is lossy (whatever the RED mode): at the end of a call, worth remembering for the next. */
  get linkLossy(): boolean {
    return this.pipeline.linkLossy;
  }

  playCue(kind: CueKind): void {
    this.cues.play(kind);
  }

  async leave(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.input.stop(), this.output.stop()]);
    // Leaving mid-sentence ends the talkspurt as letting go of the key would: the frame in progress, then the
    // end-of-talk marker, so the others stop at once instead of concealing a tail. Sent before LEAVE, on the same socket.
    try {
      this.send(this.pipeline.flush());
    } catch (error) {
      this.log.error({ err: error }, 'could not end the talkspurt on leaving');
    }
    await this.session.leave();
    for (const peer of this.peers.values()) peer.receiver.close();
    this.peers.clear();
    this.pipeline.close();
  }
}
