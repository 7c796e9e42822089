import { TokenBucket } from '../shared/token-bucket.js';
import { addressKey } from './address-key.js';
import { RecentlyUsed } from './recently-used.js';

export interface AddressRate {
  perSecond: number;
  burst: number;
}

/**
 * A token bucket per source address (an IPv6 /64 counting as one address),
 * so that one address spends its own budget and nobody else's. The table
 * holds at most `maxAddresses` buckets; one unused long enough to have
 * refilled is forgotten, which changes nothing, since a new one starts full.
 */
export class PerAddressBudget {
  private readonly buckets: RecentlyUsed<string, TokenBucket>;
  private readonly refillMs: number;

  constructor(
    private readonly rate: AddressRate,
    maxAddresses: number,
  ) {
    this.buckets = new RecentlyUsed(maxAddresses);
    this.refillMs = (rate.burst / rate.perSecond) * 1000;
  }

  take(address: string, now: number): boolean {
    return this.buckets.use(addressKey(address), now, () => new TokenBucket(this.rate.perSecond, this.rate.burst, now)).take(now);
  }

  forgetIdle(now: number): void {
    this.buckets.forgetUnusedSince(now - this.refillMs);
  }

  get addresses(): number {
    return this.buckets.size;
  }
}
