import { TokenBucket } from '../shared/token-bucket.js';
import { PerAddressBudget, type AddressRate } from './per-address-budget.js';

/**
 * The budget of handshake messages (HELLOs, JOINs): each source address has
 * its own, under a relay-wide ceiling that bounds the relay's work. One
 * address spends only its own share, which is smaller than the ceiling
 * (resolveOptions insists), so it cannot lock anyone else out; only many
 * addresses together can reach the ceiling.
 */
export class HandshakeBudget {
  private readonly perAddress: PerAddressBudget;
  private readonly relayWide: TokenBucket;

  constructor(perAddress: AddressRate, relayWidePerSecond: number, maxAddresses: number, now: number) {
    this.perAddress = new PerAddressBudget(perAddress, maxAddresses);
    this.relayWide = new TokenBucket(relayWidePerSecond, relayWidePerSecond, now);
  }

  /** The address's own share first, so a refused address spends nothing of the ceiling. */
  take(address: string, now: number): boolean {
    return this.perAddress.take(address, now) && this.relayWide.take(now);
  }

  forgetIdle(now: number): void {
    this.perAddress.forgetIdle(now);
  }

  get addresses(): number {
    return this.perAddress.addresses;
  }
}
