import { describe, expect, it } from 'vitest';
import type { StreamLink } from '../../server/relay/endpoint.js';
import { UplinkLossMeter } from '../../server/relay/uplink-loss.js';
import { defaultWorkerCount, reusePortUnsupported } from '../../server/relay/workers/worker-count.js';
import { MemberReplicas } from '../../server/relay/workers/member-replicas.js';
import type { MemberReplica } from '../../server/relay/workers/messages.js';

const rate = { packetsPerSecond: 100, burstPackets: 10, bytesPerSecond: 100_000, burstBytes: 10_000 };
const replica = (id: number, room: number, extra: Partial<MemberReplica> = {}): MemberReplica => ({
  id,
  room,
  address: '10.0.0.1',
  port: 40_000 + id,
  viaStream: false,
  muted: false,
  deafened: false,
  ...extra,
});

describe('a worker’s replica of membership', () => {
  it('keeps each room’s members in the order they came, through joins, moves and leaves, and forgets empty rooms', () => {
    const streamed: number[] = [];
    const replicas = new MemberReplicas(rate, (id): StreamLink => ({ send: () => streamed.push(id) }));
    const roomOf = (id: number): number[] => replicas.member(id)!.room.members.map((m) => m.id);
    for (const [id, room] of [[1, 7], [2, 7], [3, 8]] as const) replicas.apply({ type: 'member', member: replica(id, room) }, 0);
    expect(roomOf(1)).toEqual([1, 2]);
    expect(roomOf(3)).toEqual([3]);
    // Moves to room 8: last in, and room 7 keeps Ben alone.
    replicas.apply({ type: 'member', member: replica(1, 8) }, 0);
    expect(roomOf(1)).toEqual([3, 1]);
    expect(roomOf(2)).toEqual([2]);
    const roomEight = replicas.member(3)!.room;
    replicas.apply({ type: 'left', id: 3 }, 0);
    replicas.apply({ type: 'left', id: 1 }, 0);
    expect(roomEight.members).toEqual([]);
    // A room number seen again after it emptied is a fresh room.
    replicas.apply({ type: 'member', member: replica(4, 8) }, 0);
    expect(replicas.member(4)!.room).not.toBe(roomEight);
    expect(replicas.size).toBe(2);
    replicas.apply({ type: 'cleared' }, 0);
    expect([replicas.size, replicas.member(2)]).toEqual([0, undefined]);
  });

  it('follows a member’s address, its stream and its flags, and reaches a stream member through the main thread', () => {
    const streamed: number[] = [];
    const replicas = new MemberReplicas(rate, (id): StreamLink => ({ send: () => streamed.push(id) }));
    replicas.apply({ type: 'member', member: replica(1, 7) }, 0);
    const ana = replicas.member(1)!;
    expect(ana.isAt({ address: '10.0.0.1', port: 40_001 })).toBe(true);
    replicas.apply({ type: 'member', member: replica(1, 7, { port: 50_000, muted: true, deafened: true }) }, 0);
    expect(replicas.member(1)).toBe(ana);
    expect([ana.isAt({ address: '10.0.0.1', port: 40_001 }), ana.isAt({ address: '10.0.0.1', port: 50_000 })]).toEqual([false, true]);
    expect(ana.flags).toEqual({ muted: true, deafened: true });
    replicas.apply({ type: 'member', member: replica(1, 7, { viaStream: true }) }, 0);
    ana.stream!.send(Buffer.alloc(12));
    expect(streamed).toEqual([1]);
  });

  it('names the members heard since a time, with what their meters counted', () => {
    const replicas = new MemberReplicas(rate, () => ({ send: () => {} }));
    replicas.apply({ type: 'member', member: replica(1, 7) }, 0);
    replicas.apply({ type: 'member', member: replica(2, 7) }, 0);
    const ana = replicas.member(1)!;
    ana.lastHeardAt = 120;
    ana.uplinkLoss.onPacket(10);
    ana.uplinkLoss.onPacket(12);
    expect(replicas.heardSince(100)).toEqual([[1, { first: 9, highest: 12, received: 2 }]]);
    expect(replicas.heardSince(120)).toEqual([]);
  });
});

describe('an uplink loss meter copied between threads', () => {
  it('carries an interval on across copies, and ignores a copy that counted less', () => {
    const worker = new UplinkLossMeter();
    const main = new UplinkLossMeter();
    for (const sequence of [100, 101, 103, 104]) worker.onPacket(sequence);
    main.adopt(worker.tally());
    // 5 expected (100…104), 4 received.
    expect(main.takePermille()).toBe(200);
    // The member roams to the main thread's socket: it counts on from the worker's tally.
    for (const sequence of [105, 107]) main.onPacket(sequence);
    main.adopt(worker.tally());
    expect(main.takePermille()).toBe(333);
    // And back to a worker, handed the main thread's tally.
    const other = new UplinkLossMeter();
    other.adopt(main.tally());
    other.onPacket(108);
    main.adopt(other.tally());
    expect(main.takePermille()).toBe(0);
  });
});

describe('how many workers', () => {
  it('is one per core, at most 16 and at least 1', () => {
    expect([defaultWorkerCount(1), defaultWorkerCount(2), defaultWorkerCount(64), defaultWorkerCount(0)]).toEqual([1, 2, 16, 1]);
  });

  it('says why a system cannot share a port between sockets', () => {
    expect(reusePortUnsupported('linux', '24.21.0')).toBeUndefined();
    expect(reusePortUnsupported('linux', '22.12.0')).toBeUndefined();
    expect(reusePortUnsupported('linux', '23.1.0')).toBeUndefined();
    expect(reusePortUnsupported('linux', '23.0.0')).toBe('Node 23.0.0 cannot share a UDP port between sockets (22.12 and 23.1 or later can)');
    expect(reusePortUnsupported('linux', '20.19.0')).toBe('Node 20.19.0 cannot share a UDP port between sockets (22.12 and 23.1 or later can)');
    expect(reusePortUnsupported('darwin', '24.21.0')).toBe('sockets sharing a port are balanced only on Linux, not darwin');
    expect(reusePortUnsupported('win32', '24.21.0')).toBe('sockets sharing a port are balanced only on Linux, not win32');
  });
});
