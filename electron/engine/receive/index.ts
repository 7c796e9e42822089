/** The receive path of the voice engine: one PeerReceiver per remote peer. */
export { PeerReceiver, type IncomingPacket, type PeerReceiverOptions } from './peer-receiver.js';
export { LOSS_UNKNOWN, MIN_LEVEL_DB, type PeerReceiveStats, type PeerReceiverReport } from './receive-stats.js';
