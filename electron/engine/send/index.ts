export { SendPipeline, STALL_SAMPLES, DEFAULT_SEND_SETTINGS, type OutgoingPacket, type RtpStart, type SendPipelineOptions, type SendPipelineSettings, type SendStats } from './send-pipeline.js';
export type { Activation } from './transmit-gate.js';
export type { RedMode, LossReport } from './red-policy.js';
export type { Level } from './level-meter.js';
export { BITRATE_RANGE, DEFAULT_BITRATE } from './opus-encoder.js';
export { INPUT_GAIN_RANGE_DB } from './capture-conditioner.js';
export { VAD_THRESHOLD_RANGE_DB } from './voice-detector.js';
export { SILENCE_DB, dbToGain, amplitudeToDb } from './decibels.js';
