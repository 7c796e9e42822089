import { addressKey } from './address-key.js';
import { RecentlyUsed } from './recently-used.js';

export interface LockoutPolicy {
  /** Wrong passwords in a row an address may send before it waits. */
  freeAttempts: number;
  /** The first wait; each further wrong password doubles it, up to `maxBlockMs`. */
  firstBlockMs: number;
  maxBlockMs: number;
  /** An address with no wrong password for this long starts afresh. Longer than `maxBlockMs`. */
  forgetAfterMs: number;
}

interface Failures {
  count: number;
  blockedUntil: number;
}

/**
 * What a login form does after repeated wrong passwords, per source address
 * (an IPv6 /64 counting as one): a few tries free, then a wait that doubles
 * with every further wrong one. While it waits an address's JOINs are not
 * even checked, so guessing runs at a few tries an hour, not thousands a
 * second. A right password clears the record. The table is bounded: an
 * attacker with more addresses than it holds can push its own records out,
 * but each new address still starts with only its free tries.
 */
export class PasswordLockout {
  private readonly failures: RecentlyUsed<string, Failures>;

  constructor(
    private readonly policy: LockoutPolicy,
    maxAddresses: number,
  ) {
    this.failures = new RecentlyUsed(maxAddresses);
  }

  isBlocked(address: string, now: number): boolean {
    const record = this.failures.peek(addressKey(address));
    return record !== undefined && now < record.blockedUntil;
  }

  noteWrongPassword(address: string, now: number): void {
    const record = this.failures.use(addressKey(address), now, () => ({ count: 0, blockedUntil: 0 }));
    record.count++;
    const beyondFree = record.count - this.policy.freeAttempts;
    if (beyondFree >= 0) record.blockedUntil = now + Math.min(this.policy.maxBlockMs, this.policy.firstBlockMs * 2 ** beyondFree);
  }

  noteRightPassword(address: string): void {
    this.failures.delete(addressKey(address));
  }

  forgetIdle(now: number): void {
    this.failures.forgetUnusedSince(now - this.policy.forgetAfterMs);
  }

  get addresses(): number {
    return this.failures.size;
  }
}
