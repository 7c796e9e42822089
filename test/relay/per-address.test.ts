import pino, { type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../server/relay/address-key.js';
import { HandshakeBudget } from '../../server/relay/handshake-budget.js';
import { resolveOptions } from '../../server/relay/options.js';
import { PasswordLockout } from '../../server/relay/password-lockout.js';
import { RefusalSummary } from '../../server/relay/refusal-summary.js';
import { PerAddressBudget } from '../../server/relay/per-address-budget.js';
import { RecentlyUsed } from '../../server/relay/recently-used.js';

describe('addressKey', () => {
  it('keys IPv4 by address and IPv6 by its /64, whatever the spelling', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:c000:207')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.7')).toBe('64:ff9b:0:0::/64');
    // Not an address (never from a socket): keyed as it is rather than thrown on.
    expect(addressKey('nonsense')).toBe('nonsense');
  });

  it('puts two hosts of one /64 together and two /64s apart', () => {
    expect(addressKey('2001:db8:a:b:1::1')).toBe(addressKey('2001:db8:a:b:ffff::2'));
    expect(addressKey('2001:db8:a:b::1')).not.toBe(addressKey('2001:db8:a:c::1'));
  });
});

describe('RecentlyUsed', () => {
  it('holds at most its capacity, forgetting the least recently used first', () => {
    const table = new RecentlyUsed<string, number>(3);
    for (const [key, now] of [['a', 1], ['b', 2], ['c', 3]] as const) table.use(key, now, () => now);
    table.use('a', 4, () => -1); // a is now the most recent
    table.use('d', 5, () => 5);
    expect(table.size).toBe(3);
    expect(table.peek('b')).toBeUndefined();
    expect([table.peek('a'), table.peek('c'), table.peek('d')]).toEqual([1, 3, 5]);
  });

  it('forgets what was not used since a cutoff, and keeps the rest', () => {
    const table = new RecentlyUsed<string, string>(10);
    table.use('old', 10, () => 'old');
    table.use('mid', 20, () => 'mid');
    table.use('new', 30, () => 'new');
    table.use('old', 40, () => 'again');
    table.forgetUnusedSince(25);
    expect(table.size).toBe(2);
    expect([table.peek('old'), table.peek('mid'), table.peek('new')]).toEqual(['old', undefined, 'new']);
  });
});

describe('PerAddressBudget', () => {
  it('gives every address its own burst and rate, an IPv6 /64 counting as one', () => {
    const budget = new PerAddressBudget({ perSecond: 10, burst: 3 }, 100);
    const takes = (address: string, now: number, n: number): number => Array.from({ length: n }, () => budget.take(address, now)).filter(Boolean).length;
    expect(takes('192.0.2.1', 0, 5)).toBe(3);
    expect(takes('192.0.2.2', 0, 5)).toBe(3);
    expect(takes('2001:db8:1:1::1', 0, 2)).toBe(2);
    expect(takes('2001:db8:1:1::2', 0, 2)).toBe(1);
    // 100 ms is one token at 10/s.
    expect(takes('192.0.2.1', 100, 5)).toBe(1);
  });

  it('forgets only buckets that have refilled, so forgetting changes nothing', () => {
    const budget = new PerAddressBudget({ perSecond: 10, burst: 5 }, 100);
    for (let i = 0; i < 5; i++) budget.take('192.0.2.1', 0);
    budget.take('192.0.2.2', 300);
    budget.forgetIdle(499);
    expect(budget.addresses).toBe(2);
    budget.forgetIdle(501);
    expect(budget.addresses).toBe(1);
    budget.forgetIdle(801);
    expect(budget.addresses).toBe(0);
  });

  it('stays within its table size however many addresses come', () => {
    const budget = new PerAddressBudget({ perSecond: 1, burst: 1 }, 50);
    for (let i = 0; i < 1_000; i++) budget.take(`10.0.${i >> 8}.${i & 255}`, i);
    expect(budget.addresses).toBe(50);
  });
});

describe('HandshakeBudget', () => {
  it('lets no one address spend the relay-wide ceiling, and a refused address spends none of it', () => {
    const budget = new HandshakeBudget({ perSecond: 1, burst: 3 }, 5, 100, 0);
    const takes = (address: string, n: number): number => Array.from({ length: n }, () => budget.take(address, 0)).filter(Boolean).length;
    expect(takes('192.0.2.1', 1_000)).toBe(3);
    expect(takes('192.0.2.2', 1)).toBe(1);
    expect(takes('192.0.2.3', 5)).toBe(1);
    // The ceiling is spent (3 + 1 + 1): only now does a fresh address wait.
    expect(takes('192.0.2.4', 1)).toBe(0);
  });
});

describe('PasswordLockout', () => {
  const policy = { freeAttempts: 3, firstBlockMs: 1_000, maxBlockMs: 8_000, forgetAfterMs: 60_000 };

  it('gives a few tries, then a wait that doubles with each further wrong password, to a cap', () => {
    const lockout = new PasswordLockout(policy, 100);
    const address = '192.0.2.1';
    lockout.noteWrongPassword(address, 0);
    lockout.noteWrongPassword(address, 0);
    expect(lockout.isBlocked(address, 0)).toBe(false);
    lockout.noteWrongPassword(address, 0);
    expect([lockout.isBlocked(address, 999), lockout.isBlocked(address, 1_000)]).toEqual([true, false]);
    const waits: number[] = [];
    let now = 1_000;
    for (let i = 0; i < 5; i++) {
      lockout.noteWrongPassword(address, now);
      let until = now;
      while (lockout.isBlocked(address, until)) until += 100;
      waits.push(until - now);
      now = until;
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 8_000, 8_000]);
    // Another address is not held back.
    lockout.noteWrongPassword(address, now);
    expect([lockout.isBlocked(address, now), lockout.isBlocked('192.0.2.2', now)]).toEqual([true, false]);
  });

  it('holds back a whole IPv6 /64, and clears an address on a right password', () => {
    const lockout = new PasswordLockout({ ...policy, freeAttempts: 1 }, 100);
    lockout.noteWrongPassword('2001:db8:1:1::1', 0);
    expect(lockout.isBlocked('2001:db8:1:1::ffff', 10)).toBe(true);
    expect(lockout.isBlocked('2001:db8:1:2::1', 10)).toBe(false);
    lockout.noteRightPassword('2001:db8:1:1::2');
    expect(lockout.isBlocked('2001:db8:1:1::1', 10)).toBe(false);
  });

  it('forgets an address after a quiet while, and holds at most its table size', () => {
    const lockout = new PasswordLockout(policy, 50);
    lockout.noteWrongPassword('192.0.2.1', 0);
    lockout.forgetIdle(60_000);
    expect(lockout.addresses).toBe(1);
    lockout.forgetIdle(60_001);
    expect(lockout.addresses).toBe(0);
    for (let i = 0; i < 1_000; i++) lockout.noteWrongPassword(`10.1.${i >> 8}.${i & 255}`, i);
    expect(lockout.addresses).toBe(50);
  });
});

describe('RefusalSummary', () => {
  const capture = (): { log: Logger; lines: Record<string, unknown>[] } => {
    const lines: Record<string, unknown>[] = [];
    return { log: pino({ level: 'info', base: null, timestamp: false }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }), lines };
  };

  it('writes one line per period however many are refused, naming the busiest addresses', () => {
    const { log, lines } = capture();
    const summary = new RefusalSummary(log, 0, 10_000);
    for (let i = 0; i < 10_000; i++) summary.note(i % 10 === 0 ? 'busy' : 'wrongPassword', i % 100 === 0 ? '2001:db8::1' : '192.0.2.9');
    summary.note('roomFull', '192.0.2.10');
    for (let now = 0; now < 10_000; now += 50) summary.flushIfDue(now);
    expect(lines).toHaveLength(0);
    summary.flushIfDue(10_000);
    expect(lines).toEqual([
      {
        level: 30,
        msg: 'joins refused',
        refused: { busy: 1_000, wrongPassword: 9_000, roomFull: 1 },
        total: 10_001,
        addresses: 3,
        busiest: [
          { address: '192.0.2.9', refused: 9_900 },
          { address: '2001:db8:0:0::/64', refused: 100 },
          { address: '192.0.2.10', refused: 1 },
        ],
        sinceMs: 10_000,
      },
    ]);
    // A quiet period writes nothing; the next refusal after it is written at once.
    summary.flushIfDue(30_000);
    expect(lines).toHaveLength(1);
    summary.note('busy', '192.0.2.9');
    summary.flushIfDue(30_050);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ refused: { busy: 1 }, sinceMs: 20_050 });
  });

  it('tells apart at most a thousand addresses, and counts the rest together', () => {
    const { log, lines } = capture();
    const summary = new RefusalSummary(log, 0, 10_000);
    for (let i = 0; i < 1_500; i++) summary.note('busy', `10.2.${i >> 8}.${i & 255}`);
    summary.flushIfDue(10_000);
    expect(lines[0]).toMatchObject({ total: 1_500, addresses: 1_000, fromOtherAddresses: 500 });
  });
});

describe('relay options', () => {
  it('refuse a per-address share that could spend the relay-wide ceiling', () => {
    expect(() => resolveOptions({ joinsPerSecond: 30 })).toThrow(/perAddress\.joins \(20\/s, burst 40\) must stay below the relay-wide 30\/s/);
    expect(() => resolveOptions({ joinsPerSecond: 30, perAddress: { joins: { perSecond: 5, burst: 10 } } })).not.toThrow();
    expect(() => resolveOptions({ perAddress: { hellos: { perSecond: 100, burst: 5_000 } } })).toThrow(/perAddress\.hellos/);
  });
});
