import type { FrameMs } from '../audio-format.js';
import type { Clock } from '../../../server/shared/clock.js';
import type { RtpStart } from './packetizer.js';
import { checkCaptureProcessing, type CaptureProcessingSettings, type CaptureProcessor } from './processing/capture-processor.js';
import { CaptureConditioner } from './capture-conditioner.js';
import { checkFrameMs } from './frame-assembler.js';
import { checkBitrate, DEFAULT_BITRATE } from './opus-encoder.js';
import { RED_MODES, type RedMode } from './red-policy.js';
import { ACTIVATIONS, type Activation } from './transmit-gate.js';
import { checkVadThreshold } from './voice-detector.js';

export interface SendPipelineOptions {
  /** Opus frame duration. 20 ms is the usual trade of latency against packet overhead. */
  frameMs: FrameMs;
  /** Opus target bitrate in bits per second, 16 000 to 64 000. */
  bitrate: number;
  activation: Activation;
  /** For voice activation: the level in dBFS speech must also reach, like an "amplitude" threshold. Unset: automatic. */
  vadThresholdDb?: number | undefined;
  /** Microphone gain in dB, −30 to +30. Default 0. */
  inputGainDb?: number | undefined;
  /** RFC 2198 redundancy: 'auto' follows measured loss. */
  red: RedMode;
  /** Echo cancellation, noise suppression and automatic gain, each off when unset; applied when the pipeline has a processor. */
  echoCancellation?: CaptureProcessingSettings['echoCancellation'] | undefined;
  noiseSuppression?: CaptureProcessingSettings['noiseSuppression'] | undefined;
  autoGain?: CaptureProcessingSettings['autoGain'] | undefined;
  clock: Clock;
  /**
   * The capture processing stages, built from loaded modules (see
   * processing/load.ts). Without one the microphone goes from conditioning
   * straight to the voice detector.
   */
  processor?: CaptureProcessor | undefined;
  /**
   * First RTP sequence number and timestamp; random when unset. Set it from
   * an earlier pipeline's `rtpContinuation` when replacing the pipeline on
   * the same session: the session refuses a sequence that goes backwards.
   */
  rtpStart?: RtpStart | undefined;
}

/** Everything but the clock and the RTP start can change while running. */
export type SendPipelineSettings = Omit<SendPipelineOptions, 'clock' | 'rtpStart' | 'processor'>;

export const DEFAULT_SEND_SETTINGS: SendPipelineSettings = {
  frameMs: 20,
  bitrate: DEFAULT_BITRATE,
  activation: 'voice',
  red: 'auto',
};

/** Throws a RangeError naming the first bad setting; checks only the keys present. */
export function checkSendSettings(settings: Partial<SendPipelineSettings>): void {
  if (settings.frameMs !== undefined) checkFrameMs(settings.frameMs);
  if (settings.bitrate !== undefined) checkBitrate(settings.bitrate);
  if (settings.activation !== undefined && !ACTIVATIONS.includes(settings.activation)) {
    throw new RangeError(`activation ${String(settings.activation)} is not one of ${ACTIVATIONS.join(', ')}`);
  }
  if (settings.red !== undefined && !RED_MODES.includes(settings.red)) {
    throw new RangeError(`red ${String(settings.red)} is not one of ${RED_MODES.join(', ')}`);
  }
  checkVadThreshold(settings.vadThresholdDb);
  if (settings.inputGainDb !== undefined) CaptureConditioner.gainFor(settings.inputGainDb);
  checkCaptureProcessing(settings);
}

/** What capture processing these settings ask for; a stage they leave unset is off. */
export function captureProcessingOf(settings: Partial<SendPipelineSettings>): CaptureProcessingSettings {
  return { echoCancellation: settings.echoCancellation ?? false, noiseSuppression: settings.noiseSuppression ?? 'off', autoGain: settings.autoGain ?? false };
}

/** The capture processing settings present in a change, and only those. */
export function captureProcessingChange(settings: Partial<SendPipelineSettings>): Partial<CaptureProcessingSettings> {
  const change: Partial<CaptureProcessingSettings> = {};
  if (settings.echoCancellation !== undefined) change.echoCancellation = settings.echoCancellation;
  if (settings.noiseSuppression !== undefined) change.noiseSuppression = settings.noiseSuppression;
  if (settings.autoGain !== undefined) change.autoGain = settings.autoGain;
  return change;
}

export function checkRtpStart(start: RtpStart | undefined): void {
  if (start === undefined) return;
  const { sequence, timestamp } = start;
  if (!(Number.isInteger(sequence) && sequence >= 0 && sequence <= 0xffff && Number.isInteger(timestamp) && timestamp >= 0 && timestamp <= 0xffff_ffff)) {
    throw new RangeError(`RTP start needs a 16-bit sequence and a 32-bit timestamp (got ${sequence}, ${timestamp})`);
  }
}
