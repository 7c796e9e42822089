import { describe, expect, it } from 'vitest';
import { bracketHost, formatAddress } from '../../server/shared/address.js';

describe('addresses as people read them', () => {
  it('put IPv6 literals in brackets before the port, and leave IPv4 and host names alone', () => {
    expect(formatAddress('::1', 47140)).toBe('[::1]:47140');
    expect(formatAddress('2001:db8::1', 47000)).toBe('[2001:db8::1]:47000');
    expect(formatAddress('fe80::1%eth0', 5)).toBe('[fe80::1%eth0]:5');
    expect(formatAddress('203.0.113.5', 47000)).toBe('203.0.113.5:47000');
    expect(formatAddress('relay.example.org', 1)).toBe('relay.example.org:1');
    expect(bracketHost('::')).toBe('[::]');
    expect(bracketHost('localhost')).toBe('localhost');
  });
});
