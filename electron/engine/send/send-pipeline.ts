import { BLOCK_SAMPLES, SAMPLES_PER_MS, samplesFor } from '../audio-format.js';
import type { Clock } from '../../../server/shared/clock.js';
import { CaptureConditioner } from './capture-conditioner.js';
import { FrameAssembler } from './frame-assembler.js';
import { LevelMeter, type Level } from './level-meter.js';
import { isDtxFrame, OpusFrameEncoder } from './opus-encoder.js';
import { RtpPacketizer, type OutgoingPacket, type RtpStart } from './packetizer.js';
import { PreRoll } from './pre-roll.js';
import { RedPacker } from './red-packer.js';
import { RedPolicy, worstKnownLoss, type LossReport } from './red-policy.js';
import type { CaptureProcessingStats, CaptureProcessor } from './processing/capture-processor.js';
import { captureProcessingChange, checkRtpStart, checkSendSettings, type SendPipelineOptions, type SendPipelineSettings } from './send-options.js';
import { TransmitGate } from './transmit-gate.js';
import { ATTACK_BLOCKS, VoiceDetector } from './voice-detector.js';

export type { OutgoingPacket, RtpStart } from './packetizer.js';
export type { SendPipelineOptions, SendPipelineSettings } from './send-options.js';
export { captureProcessingOf, DEFAULT_SEND_SETTINGS } from './send-options.js';

/**
 * While the gate is closed, a wall clock this far ahead of the blocks
 * counted means capture stalled (a device switch, a suspended laptop): the
 * timeline skips forward so timestamps keep to real time. Far above the
 * jitter of device callbacks, so ordinary bursts never trigger it.
 */
export const STALL_SAMPLES = samplesFor(200);

export interface SendStats {
  framesEncoded: number;
  /** Frames the encoder marked as not needing transmission (DTX), so not sent. */
  dtxFrames: number;
  /** Every packet returned, end-of-talk markers included. */
  packets: number;
  payloadBytes: number;
  /** Earlier frames carried again inside RED packets. */
  redundantFrames: number;
  /** Packets that carried two copies (RED depth 2, at high loss). */
  twoCopyPackets: number;
  talkspurts: number;
  endMarkers: number;
  /** Times the timeline skipped forward after a capture stall. */
  stalls: number;
  /** Non-finite input samples replaced by silence. */
  sanitizedSamples: number;
}

/**
 * The send path for one microphone: condition (high-pass, gain, limiter),
 * meter, decide whether to transmit (voice, push-to-talk or continuous; never
 * while muted), assemble Opus frames, encode, add RED when the link is lossy,
 * and number the RTP packets. Pure: one 10 ms block in, the packets to send
 * out; time comes from the injected clock.
 *
 * Timing of controls: mute, push-to-talk and activation changes act on the
 * next pushed block, exactly. A talkspurt ends with any part-filled frame
 * completed by silence, then the empty end-of-talk packet.
 */
export class SendPipeline {
  private readonly clock: Clock;
  private readonly current: SendPipelineSettings;
  private readonly conditioner: CaptureConditioner;
  private readonly processor: CaptureProcessor | undefined;
  private readonly conditioned = new Float32Array(BLOCK_SAMPLES);
  private readonly meter = new LevelMeter();
  private readonly voice: VoiceDetector;
  private readonly gate: TransmitGate;
  private readonly preRoll = new PreRoll(ATTACK_BLOCKS);
  private readonly assembler: FrameAssembler;
  private readonly encoder: OpusFrameEncoder;
  private readonly packetizer: RtpPacketizer;
  private readonly red = new RedPacker();
  private readonly redPolicy: RedPolicy;
  /** Capture-timeline sample index of the next block pushed. */
  private captureSample = 0;
  private anchor: { ms: number; sample: number } | undefined;
  /** Whether any packet of the current talkspurt went out (only then is an end marker due). */
  private spurtSent = false;
  /** The next packet sent starts a talkspurt or follows a DTX gap: it carries the marker bit. */
  private markNext = true;
  private closed = false;
  private readonly counters = { framesEncoded: 0, dtxFrames: 0, packets: 0, payloadBytes: 0, redundantFrames: 0, twoCopyPackets: 0, talkspurts: 0, endMarkers: 0, stalls: 0 };

  constructor(options: SendPipelineOptions) {
    checkSendSettings(options);
    checkRtpStart(options.rtpStart);
    if (typeof options.clock?.now !== 'function') throw new TypeError('SendPipeline needs a clock');
    const { clock, rtpStart, processor, ...settings } = options;
    this.packetizer = new RtpPacketizer(rtpStart);
    this.clock = clock;
    this.current = { ...settings };
    this.conditioner = new CaptureConditioner(settings.inputGainDb ?? 0);
    this.processor = processor;
    processor?.reconfigure(captureProcessingChange(settings));
    this.voice = new VoiceDetector(settings.vadThresholdDb);
    this.gate = new TransmitGate(settings.activation);
    this.assembler = new FrameAssembler(settings.frameMs);
    this.encoder = new OpusFrameEncoder(settings.bitrate);
    this.redPolicy = new RedPolicy(settings.red, clock);
  }

  /** One 10 ms block of microphone audio in (480 samples, left untouched); the packets to send now out. */
  push(block: Float32Array): OutgoingPacket[] {
    this.assertOpen();
    if (!(block instanceof Float32Array) || block.length !== BLOCK_SAMPLES) {
      throw new RangeError(`push() takes a Float32Array of ${BLOCK_SAMPLES} samples (10 ms at 48 kHz)`);
    }
    if (!this.gate.open) this.followWallClock(this.clock.now());
    const sampleIndex = this.captureSample;
    this.captureSample += BLOCK_SAMPLES;

    this.conditioner.process(block, this.conditioned);
    this.processor?.process(this.conditioned);
    this.meter.measure(this.conditioned);
    const speech = this.voice.update(this.meter.blockRmsDb, this.processor?.voiceProbability);
    this.processor?.detected(speech);
    const transition = this.gate.update(speech);

    const out: OutgoingPacket[] = [];
    if (transition === 'end') this.endTalkspurt(out);
    if (transition === 'start') this.startTalkspurt(sampleIndex, out);
    if (this.gate.open) this.addBlock(this.conditioned, sampleIndex, out);
    else if (this.gate.activation === 'voice' && !this.gate.muted) this.preRoll.push(this.conditioned);
    else this.preRoll.clear();
    return out;
  }

  /** One 10 ms block of what the speaker was handed: the echo canceller's far-end reference. */
  render(block: Float32Array): void {
    this.processor?.render(block);
  }

  /** The devices' latency, output plus input, as a starting point for the echo canceller's delay search. */
  setDeviceDelayMs(ms: number): void {
    this.processor?.setDeviceDelayMs(ms);
  }

  /**
   * The last block pushed as the voice detector and the encoder took it:
   * conditioned and processed, what others hear. Valid until the next push.
   */
  get processedBlock(): Float32Array {
    return this.conditioned;
  }

  /** Echo return loss enhancement, suppression and automatic gain; undefined without a processor. */
  get processing(): CaptureProcessingStats | undefined {
    return this.processor?.stats;
  }

  setPushToTalk(pressed: boolean): void {
    this.gate.pushToTalkPressed = pressed;
  }

  /** Muting mid-talkspurt ends it on the next block: the frame in progress, then the end marker; nothing after. */
  setMuted(muted: boolean): void {
    this.gate.muted = muted;
    if (muted) this.preRoll.clear();
  }

  /** Feed the session's `link` events here. */
  onLinkReport(report: LossReport): void {
    this.redPolicy.onLinkReport(report);
    const loss = worstKnownLoss(report);
    if (loss !== undefined) this.encoder.packetLossPercent = loss / 10;
  }

  /** Our packets go over a link that does not lose them (TCP) or one that may (UDP): no RED copies over the first. */
  setReliableLink(reliable: boolean): void {
    this.redPolicy.reliableLink = reliable;
  }

  /** The link was lossy when last used (an earlier call to the same relay): RED on from the first packet, in auto mode. */
  expectLoss(): void {
    this.redPolicy.expectLoss();
  }

  /** Whether we are transmitting: drives our speaking indicator. */
  get talking(): boolean {
    return this.gate.open;
  }

  /** Whether the voice detector hears speech, even while muted or in another mode (for "you are muted" hints). */
  get voiceDetected(): boolean {
    return this.voice.active;
  }

  /** Microphone level after conditioning and capture processing (what others will hear), with meter ballistics. */
  get level(): Level {
    return this.meter.level;
  }

  get noiseFloorDb(): number {
    return this.voice.noiseFloorDb;
  }

  get redActive(): boolean {
    return this.redPolicy.active;
  }

  /** Earlier frames each packet carries a copy of: 0 (RED off), 1, or 2 at high loss. */
  get redDepth(): number {
    return this.redPolicy.depth;
  }

  /** Whether loss reports say the link is lossy (RED would be on in auto mode), whatever the RED mode. */
  get linkLossy(): boolean {
    return this.redPolicy.linkLossy;
  }

  /** Where a pipeline replacing this one on the same session should start its RTP numbering. */
  get rtpContinuation(): RtpStart {
    return { sequence: this.packetizer.nextSequenceNumber, timestamp: this.packetizer.timestampAt(this.captureSample) };
  }

  get settings(): SendPipelineSettings {
    return { ...this.current };
  }

  get stats(): SendStats {
    return { ...this.counters, sanitizedSamples: this.conditioner.sanitizedSamples };
  }

  /**
   * Changes settings; all are checked before any is applied. Bitrate, gain,
   * threshold, RED mode and activation act from the next block. A new frame
   * size waits for a frame boundary where the stream restarts anyway (a
   * talkspurt start or after a DTX gap; in continuous mode, the next frame)
   * so no frame is ever split. Passing `vadThresholdDb: undefined`
   * explicitly returns to the automatic threshold.
   */
  reconfigure(change: Partial<SendPipelineSettings>): void {
    this.assertOpen();
    checkSendSettings(change);
    if (change.frameMs !== undefined) this.current.frameMs = change.frameMs;
    if (change.bitrate !== undefined) this.encoder.bitrate = this.current.bitrate = change.bitrate;
    if (change.activation !== undefined) this.gate.activation = this.current.activation = change.activation;
    if (change.red !== undefined) this.redPolicy.mode = this.current.red = change.red;
    if (change.inputGainDb !== undefined) {
      this.conditioner.setGainDb(change.inputGainDb);
      this.current.inputGainDb = change.inputGainDb;
    }
    if ('vadThresholdDb' in change) this.voice.thresholdDb = this.current.vadThresholdDb = change.vadThresholdDb;
    const processing = captureProcessingChange(change);
    Object.assign(this.current, processing);
    this.processor?.reconfigure(processing);
  }

  /** Ends a talkspurt in progress now (e.g. before leaving a room); it reopens on the next block if still wanted. */
  flush(): OutgoingPacket[] {
    this.assertOpen();
    const out: OutgoingPacket[] = [];
    if (this.gate.open) {
      this.gate.open = false;
      this.endTalkspurt(out);
    }
    return out;
  }

  /**
   * The input has no more audio (a file played to its end): a talkspurt in
   * progress ends now, as flush() ends it, and the meter and voice detector
   * fall silent at once, so `talking`, `level` and `voiceDetected` stop
   * showing the last sound heard. Without it they keep it for as long as no
   * block comes. Blocks pushed later start afresh.
   */
  endOfInput(): OutgoingPacket[] {
    const out = this.flush();
    this.meter.silence();
    this.voice.silence();
    this.preRoll.clear();
    return out;
  }

  /** Stops the pipeline; call flush() first to send the end of a talkspurt in progress. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.processor?.close();
  }

  // ---------------------------------------------------------------------------

  private startTalkspurt(sampleIndex: number, out: OutgoingPacket[]): void {
    this.counters.talkspurts++;
    this.spurtSent = false;
    this.markNext = true;
    this.red.forget();
    this.assembler.frameMs = this.current.frameMs;
    const preRolled = this.gate.activation === 'voice' ? this.preRoll.count : 0;
    this.assembler.restartAt(sampleIndex - preRolled * BLOCK_SAMPLES);
    for (let i = 0; i < preRolled; i++) this.addBlock(this.preRoll.block(i), sampleIndex - (preRolled - i) * BLOCK_SAMPLES, out);
    this.preRoll.clear();
  }

  private endTalkspurt(out: OutgoingPacket[]): void {
    const last = this.assembler.finishWithSilence();
    if (last) this.sendFrame(last, this.assembler.completedFrameStart, out);
    if (this.spurtSent) {
      const end = this.red.packEndOfTalk(this.assembler.nextFrameStart, this.redPolicy.depth);
      this.countCopies(end.redundantFrames);
      this.emit(this.packetizer.packet(end.payloadType, end.payload, this.assembler.nextFrameStart, false), out);
      this.counters.endMarkers++;
    }
    this.spurtSent = false;
  }

  private addBlock(block: Float32Array, sampleIndex: number, out: OutgoingPacket[]): void {
    const frame = this.assembler.add(block, sampleIndex);
    if (!frame) return;
    this.sendFrame(frame, this.assembler.completedFrameStart, out);
    const restartsAnyway = this.markNext || this.gate.activation === 'continuous';
    if (restartsAnyway && this.assembler.frameMs !== this.current.frameMs) this.assembler.frameMs = this.current.frameMs;
  }

  private sendFrame(frame: Int16Array, sampleIndex: number, out: OutgoingPacket[]): void {
    const encoded = this.encoder.encode(frame);
    this.counters.framesEncoded++;
    if (isDtxFrame(encoded)) {
      this.counters.dtxFrames++;
      this.red.forget();
      this.markNext = true;
      return;
    }
    const packed = this.red.pack(encoded, sampleIndex, this.markNext ? 0 : this.redPolicy.depth);
    this.countCopies(packed.redundantFrames);
    this.emit(this.packetizer.packet(packed.payloadType, packed.payload, sampleIndex, this.markNext), out);
    this.markNext = false;
    this.spurtSent = true;
  }

  private countCopies(copies: number): void {
    this.counters.redundantFrames += copies;
    if (copies === 2) this.counters.twoCopyPackets++;
  }

  private emit(packet: OutgoingPacket, out: OutgoingPacket[]): void {
    out.push(packet);
    this.counters.packets++;
    this.counters.payloadBytes += packet.payload.length;
  }

  /** Only called while the gate is closed: the timeline may jump only where nothing is being sent. */
  private followWallClock(now: number): void {
    if (this.anchor === undefined) {
      this.anchor = { ms: now, sample: this.captureSample };
      return;
    }
    const expected = this.anchor.sample + Math.round((now - this.anchor.ms) * SAMPLES_PER_MS);
    const behind = expected - this.captureSample;
    if (behind <= STALL_SAMPLES) return;
    this.captureSample += Math.floor(behind / BLOCK_SAMPLES) * BLOCK_SAMPLES;
    this.anchor = { ms: now, sample: this.captureSample };
    this.preRoll.clear();
    this.counters.stalls++;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('this SendPipeline is closed');
  }
}
