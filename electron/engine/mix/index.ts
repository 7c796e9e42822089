export { Mixer } from './mixer.js';
export { PeakLimiter, PEAK_LIMITER_DEFAULTS, type PeakLimiterOptions } from './peak-limiter.js';
