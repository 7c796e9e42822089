import type { Logger } from 'pino';
import { LIMITS } from '../protocol/constants.js';
import { isControl } from '../protocol/control.js';
import { ProtocolError } from '../protocol/errors.js';
import { isRtp } from '../protocol/rtp.js';
import type { RelayCounters } from './counters.js';
import type { Endpoint } from './endpoint.js';

/** All a datagram's handling logs: our own bugs. A worker thread passes these to the relay's one log. */
export type DatagramLog = Pick<Logger, 'error'>;

export interface DatagramHandlers {
  media(datagram: Buffer, remote: Endpoint): void;
  control(datagram: Buffer, remote: Endpoint): void;
}

/**
 * Counts what a datagram's handling threw, so that nothing escapes: decoders
 * throw ProtocolError for bad input, which is counted as its drop reason;
 * anything else is our bug, counted and logged, and still contained.
 */
export function countDatagramError(counters: RelayCounters, log: DatagramLog, remote: Endpoint, error: unknown): void {
  if (error instanceof ProtocolError) {
    counters.drop(error.reason);
  } else {
    counters.drop('malformed');
    log.error({ err: error, from: remote.address }, 'unexpected error handling a datagram');
  }
}

/**
 * Counts a datagram in, tells its kind and hands it to the handler for it:
 * what the relay's main thread and each of its workers do with every datagram
 * their socket receives. Never throws. The try is inline, not a callback: this
 * runs for every packet, and a closure per packet would be an allocation each.
 */
export function sortDatagram(datagram: Buffer, remote: Endpoint, counters: RelayCounters, log: DatagramLog, handlers: DatagramHandlers): void {
  try {
    counters.bytesIn += datagram.length;
    if (datagram.length > LIMITS.maxDatagramBytes) {
      counters.packetsIn.control++;
      counters.drop('oversized');
    } else if (isRtp(datagram)) {
      counters.packetsIn.media++;
      handlers.media(datagram, remote);
    } else {
      counters.packetsIn.control++;
      if (isControl(datagram)) handlers.control(datagram, remote);
      else counters.drop(datagram.length === 0 ? 'truncated' : 'unknown_type');
    }
  } catch (error) {
    countDatagramError(counters, log, remote, error);
  }
}
