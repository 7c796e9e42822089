import { describe, expect, it } from 'vitest';
import { validateCase, voiceCase } from '../../bench/relay/case-spec.js';
import { isTcpMember } from '../../bench/relay/members.js';

describe('the relay benchmark’s TCP share', () => {
  it('puts exactly that share of members on TCP, spread evenly: every tenth at 10 %', () => {
    const spec = { tcpSharePct: 10 };
    const tcp = Array.from({ length: 100 }, (_, i) => i).filter((i) => isTcpMember(spec, i));
    expect(tcp).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
    expect(Array.from({ length: 3_000 }, (_, i) => isTcpMember(spec, i)).filter(Boolean)).toHaveLength(300);
    expect(Array.from({ length: 50 }, (_, i) => isTcpMember({}, i)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 7 }, (_, i) => isTcpMember({ tcpSharePct: 100 }, i)).every(Boolean)).toBe(true);
  });

  it('refuses a share outside 0–100 %, and any for the naive relay, which has no TCP side', () => {
    expect(() => validateCase({ ...voiceCase('parley', 20, 2), tcpSharePct: 101 })).toThrow('the TCP share is a percentage from 0 to 100, got 101');
    expect(() => validateCase({ ...voiceCase('naive', 10, 1), tcpSharePct: 10 })).toThrow('the naive relay has no TCP side');
    expect(() => validateCase({ ...voiceCase('parley', 20, 2), tcpSharePct: 10 })).not.toThrow();
  });
});
