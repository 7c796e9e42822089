export { Mixer } from './mixer.js';
export { PeakLimiter, PEAK_LIMITER_DEFAULTS, type PeakLimiterOptions } from './peak-limiter.js';
export { decideOutput, blockPeak, checkOutputQueueLimits, OUTPUT_QUEUE_DEFAULTS, SILENT_PEAK, type OutputAction, type OutputQueueLimits } from './output-queue-policy.js';
export { compressBlock, MIN_CUT_SAMPLES, MAX_CUT_SAMPLES } from './time-compress.js';
