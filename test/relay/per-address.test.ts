import { describe, expect, it } from 'vitest';
import { addressKey } from '../../server/relay/address-key.js';
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
