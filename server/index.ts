export { startRelay, type RelayHandle } from './relay/start.js';
export type { RelayOptions, RateLimitOptions } from './relay/options.js';
export type { RelayStats } from './relay/counters.js';
export { RelayStartError, type RoomSummary } from './relay/relay.js';
export { MetricsStartError } from './relay/metrics.js';
export { shareableAddresses } from './relay/share-addresses.js';
export { formatAddress } from './shared/address.js';
