export { startRelay, type RelayHandle } from './relay/start.js';
export type { RelayOptions, RateLimitOptions, PerAddressLimits } from './relay/options.js';
export type { AddressRate } from './relay/per-address-budget.js';
export type { LockoutPolicy } from './relay/password-lockout.js';
export type { RelayStats } from './relay/counters.js';
export { RelayStartError } from './relay/relay-socket.js';
export type { RoomSummary } from './relay/membership.js';
export { MetricsStartError } from './relay/metrics.js';
export { shareableAddresses } from './relay/share-addresses.js';
