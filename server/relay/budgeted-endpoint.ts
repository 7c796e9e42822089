import { TokenBucket } from '../shared/token-bucket.js';
import { sameEndpoint, type Endpoint, type StreamLink } from './endpoint.js';
import type { RateLimitOptions } from './options.js';

/**
 * UNKNOWN_ADDRESS replies per member and second: a client that a NAT moved is
 * told at its first refused packet, and again 100 ms later if that reply was
 * lost; a stranger spraying media under the member's id is answered no more
 * often than this.
 */
const ADDRESS_NOTICES_PER_SECOND = 10;

/**
 * A member where its datagrams arrive: the endpoint it is bound to, and what
 * it may spend there, packets and bytes (media and control together) and
 * notices that its id was used from another address. The member on the main
 * thread is one, and so is each worker's replica of it: a member's datagrams
 * all arrive at one worker, so its budget holds whichever that is.
 */
export abstract class BudgetedEndpoint implements Endpoint {
  private readonly packets: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly addressNotices: TokenBucket;

  constructor(
    public address: string,
    public port: number,
    public stream: StreamLink | undefined,
    rate: RateLimitOptions,
    now: number,
  ) {
    this.packets = new TokenBucket(rate.packetsPerSecond, rate.burstPackets, now);
    this.bytes = new TokenBucket(rate.bytesPerSecond, rate.burstBytes, now);
    this.addressNotices = new TokenBucket(ADDRESS_NOTICES_PER_SECOND, 1, now);
  }

  isAt(endpoint: Endpoint): boolean {
    return sameEndpoint(this, endpoint);
  }

  /** Spends the packet and byte budgets on a datagram the member sent; false when it is over either. */
  withinBudget(bytes: number, now: number): boolean {
    return this.packets.take(now) && this.bytes.take(now, bytes);
  }

  /** Whether the sender of media under the member's id from elsewhere may be told so now. */
  mayNoticeOtherAddress(now: number): boolean {
    return this.addressNotices.take(now);
  }
}
