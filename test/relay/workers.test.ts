import type { Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { RelayStartError, startRelay, type RelayHandle } from '../../server/index.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { encodeRtp } from '../../server/protocol/rtp.js';
import { intervalLossPermille } from '../../server/protocol/session-messages.js';
import type { JoinError } from '../../electron/net/join-error.js';
import type { LinkReport, RelaySession } from '../../electron/net/session.js';
import { collectMedia, peerNames, sleep, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

/**
 * The relay spread over two workers (the main thread and one worker thread),
 * each with its own socket on the port. The kernel picks a member's worker
 * from its address, so these tests move a member (a new local port, as a
 * network change does) until it lands where a test needs it, and read where
 * its datagrams arrived from each worker's own counts.
 */
describe('a relay on two workers', () => {
  const harness = relayHarness();
  // No pings but those a test makes: each worker's datagram counts then tell exactly where a member's last one went.
  const quiet = { workers: 2, pingIntervalMs: 60_000 };

  const media = (session: RelaySession, sequence: number): void =>
    session.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 960 * sequence }, Uint8Array.of(sequence & 0xff));

  /** The worker whose socket received the datagrams `send` sends, once `count` of them arrived. */
  async function workerReceiving(relay: RelayHandle, send: () => Promise<void> | void, count = 1): Promise<number> {
    const before = await relay.workerStats();
    await send();
    for (;;) {
      const after = await relay.workerStats();
      const rose = after.filter((stat, i) => stat.packetsIn > before[i]!.packetsIn);
      const arrived = after.reduce((sum, stat, i) => sum + stat.packetsIn - before[i]!.packetsIn, 0);
      if (arrived >= count) {
        expect(rose).toHaveLength(1);
        return rose[0]!.worker;
      }
      await sleep(5);
    }
  }

  /** Moves the session to new local ports until the relay receives its datagrams on `worker`; returns the moves it took. */
  async function landOn(relay: RelayHandle, session: RelaySession, worker: number): Promise<number> {
    // Each session answers the relay's chat channel once after joining: only then is the relay quiet enough to tell where one datagram went.
    await waitFor('every session’s chat channel open', () => harness.sessions.every((s) => s.chatAvailable));
    await sleep(20);
    for (let moves = 1; moves <= 40; moves++) {
      const roams = relay.stats().roams;
      const at = await workerReceiving(relay, () => session.roam());
      await waitFor('the roam taken', () => relay.stats().roams === roams + 1);
      if (at === worker) return moves;
    }
    throw new Error(`never landed on worker ${worker}`);
  }

  it('runs two workers, and forwards every packet to every listener whichever worker each member landed on', async () => {
    const relay = await harness.relay({ workers: 2 });
    expect(relay.workers).toBe(2);
    const members: RelaySession[] = [];
    for (let i = 0; i < 16; i++) members.push(await harness.join(relay, { room: i % 2 === 0 ? 'even' : 'odd', name: `M${i}` }));
    await waitFor('rosters', () => members.every((m) => m.peers.length === 7));
    const heard = members.map((m) => collectMedia(m));
    for (let sequence = 1; sequence <= 5; sequence++) for (const member of members) media(member, sequence);
    await waitFor('everyone heard their room', () => heard.every((h) => h.length === 35));
    for (const [i, arrivals] of heard.entries()) {
      const roommates = members.filter((_, j) => j !== i && j % 2 === i % 2).map((m) => m.memberId);
      expect([...new Set(arrivals.map((a) => a.peerId))].sort()).toEqual(roommates.sort());
    }
    const workers = await relay.workerStats();
    expect(workers.map((w) => w.worker)).toEqual([0, 1]);
    // Sixteen members over two sockets: both forwarded (all on one would happen once in 2^15 runs).
    expect(workers.every((w) => w.mediaForwarded > 0)).toBe(true);
    expect(workers.reduce((sum, w) => sum + w.mediaForwarded, 0)).toBe(16 * 5 * 7);
    expect(relay.stats()).toMatchObject({ mediaIn: 80, mediaForwarded: 560, droppedTotal: 0, members: 16, rooms: 2 });
    const metrics = await relay.metrics();
    expect(metrics).toMatch(/^parley_workers 2$/m);
    expect(metrics).toMatch(new RegExp(`^parley_worker_media_forwarded_total\\{worker="1"\\} ${workers[1]!.mediaForwarded}$`, 'm'));
    expect(metrics).toMatch(/^parley_packets_sent_total\{kind="media"\} 560$/m);
  });

  it('shares its port only with its own workers: a second relay on it is refused, with workers or without', async () => {
    const relay = await harness.relay({ workers: 2, tcp: false });
    for (const workers of [2, 1]) {
      const second = await startRelay({ host: '127.0.0.1', port: relay.address.port, workers, tcp: false }).catch((e: unknown) => e);
      expect(second).toBeInstanceOf(RelayStartError);
      expect((second as RelayStartError).code).toBe('portInUse');
    }
  });

  it('tells every worker of a move, a mute and a deafen: a member on the worker thread is forwarded by them at once', async () => {
    const relay = await harness.relay(quiet);
    const ana = await harness.join(relay, { room: 'one', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'one', name: 'Ben' });
    const cai = await harness.join(relay, { room: 'two', name: 'Cai' });
    await waitFor('rosters', () => peerNames(ana).includes('Ben') && cai.status.state === 'connected');
    await landOn(relay, ana, 1);
    const byBen = collectMedia(ben);
    const byCai = collectMedia(cai);
    media(ana, 100);
    await waitFor('Ben hears Ana in room one', () => byBen.length === 1);

    await ana.moveTo('two');
    await waitFor('Ana in two', () => peerNames(cai).includes('Ana') && peerNames(ana).includes('Cai'));
    media(ana, 101);
    await waitFor('Cai hears Ana in room two', () => byCai.length === 1);

    cai.setFlags({ deafened: true });
    await waitFor('Cai deafened', () => relay.rooms().find((r) => r.name === 'two')?.members.find((m) => m.name === 'Cai')?.deafened);
    media(ana, 102);
    ana.setFlags({ muted: true });
    await waitFor('Ana muted', () => relay.rooms().find((r) => r.name === 'two')?.members.find((m) => m.name === 'Ana')?.muted);
    await sleep(20);
    media(ana, 103);
    await waitFor('the last two refused or passed by', async () => (await relay.workerStats())[1]!.mediaIn >= 4);
    await sleep(50);
    // Ben, in the room Ana left, heard her only there; Cai nothing once deafened; Ana muted is dropped before any listener.
    expect(byBen.map((a) => a.sequence)).toEqual([100]);
    expect(byCai.map((a) => a.sequence)).toEqual([101]);
    expect(relay.stats().dropped).toEqual({ not_allowed: 1 });
  });

  it('keeps a member that roams from one worker to the other, and its listener misses nothing', async () => {
    const relay = await harness.relay(quiet);
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'lobby', name: 'Ben' });
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    const heard = collectMedia(ben);
    const seenOn = new Set<number>();
    let sequence = 0;
    // Talking all along: each move to a new port may land on the other worker, until Ana has been on both.
    while (seenOn.size < 2 && sequence < 400) {
      const roams = relay.stats().roams;
      // All five in before the move: a packet still on its way from the old port when the relay hears the new one is lost, with one worker or many.
      seenOn.add(await workerReceiving(relay, () => { for (let i = 0; i < 5; i++) media(ana, ++sequence); }, 5));
      await ana.roam();
      await waitFor('the roam taken', () => relay.stats().roams === roams + 1);
    }
    media(ana, ++sequence);
    await waitFor('every packet heard', () => heard.length === sequence, 3_000);
    expect(seenOn).toEqual(new Set([0, 1]));
    expect(heard.map((a) => a.sequence)).toEqual(Array.from({ length: sequence }, (_, i) => i + 1));
    expect(relay.stats()).toMatchObject({ members: 2, joins: 2, timeouts: 0 });
  });

  it('measures the uplink loss of a member on the worker thread up to the ping it answers', async () => {
    const relay = await harness.relay(quiet);
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'lobby', name: 'Ben' });
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    const reports: LinkReport[] = [];
    ana.on('link', (report) => reports.push(report));
    // Each move pings; once each is answered, the next report is the one under test.
    const moves = await landOn(relay, ana, 1);
    await waitFor('every move’s ping answered', () => reports.length === moves);
    reports.length = 0;
    // 25 packets sent (the session then pings at once), numbered 100…130: six never sent, as if lost on the way.
    const missing = new Set([103, 107, 111, 115, 119, 123]);
    for (let s = 100; s <= 130; s++) if (!missing.has(s)) media(ana, s);
    const report = await waitFor('Ana’s early report', () => reports[0]);
    expect(report.uplinkLossPermille).toBe(intervalLossPermille(31, 25));
  });

  it('holds a member on the worker thread to its own budget, media and control together', async () => {
    const relay = await harness.relay({ ...quiet, rateLimit: { packetsPerSecond: 1, burstPackets: 20 } });
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'lobby', name: 'Ben' });
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    // Each move's ping comes from an address the worker does not know yet: it costs the worker's budget nothing.
    await landOn(relay, ana, 1);
    const heard = collectMedia(ben);
    for (let s = 1; s <= 100; s++) media(ana, s);
    await waitFor('the flood read', async () => (await relay.workerStats())[1]!.mediaIn >= 100);
    await sleep(50);
    // The budget of 20 is Ana's, media and control together: what her session sent from this address before
    // the flood (its answers on the chat channel after each move's pong) spent some of it already.
    const passed = heard.length;
    expect(passed).toBeGreaterThanOrEqual(15);
    expect(passed).toBeLessThanOrEqual(20);
    expect(heard.map((a) => a.sequence)).toEqual(Array.from({ length: passed }, (_, i) => i + 1));
    // Every other packet, and the ping the session sent after its 25th, was charged on the worker and refused there.
    await relay.workerStats();
    expect({ passed, dropped: relay.stats().dropped, workers: await relay.workerStats() }).toMatchObject({ dropped: { rate_limited: 100 - passed + 1 } });
  });

  it('checks the relay password on the main thread: the lockout counts wrong guesses that arrived at either worker', async () => {
    const relay = await harness.relay({ workers: 2, password: 'right' });
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const error = await harness.connect({ relay: { host: '127.0.0.1', port: relay.address.port }, room: 'lobby', name: `Eve${i}`, password: 'wrong' }).catch((e: unknown) => e);
      codes.push((error as JoinError).code);
    }
    expect(codes).toEqual([...Array<string>(5).fill('wrongPassword'), ...Array<string>(7).fill('tooManyAttempts')]);
    const workers = await relay.workerStats();
    // Twelve new ports: both workers received guesses (one only, once in 2^11 runs).
    expect(workers.every((w) => w.packetsIn > 0)).toBe(true);
    expect(relay.stats().refused).toEqual({ wrongPassword: 5, tooManyAttempts: 7 });
  });

  it('drops and counts junk spread over both workers, and forwards on', async () => {
    const relay = await harness.relay({ workers: 2 });
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'lobby', name: 'Ben' });
    await waitFor('roster', () => peerNames(ben).includes('Ana'));
    const sockets: Socket[] = [];
    for (let i = 0; i < 16; i++) sockets.push(await harness.socket());
    const strangerMedia = encodeRtp({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0, ssrc: 0xdeadbeef }, new Uint8Array(20));
    for (const socket of sockets) {
      for (let i = 0; i < 25; i++) {
        socket.send(Buffer.from('not a parley datagram'), relay.address.port, '127.0.0.1');
        socket.send(strangerMedia, relay.address.port, '127.0.0.1');
      }
      await sleep(2);
    }
    // Waits on the drops themselves: the members' own pings count as datagrams in too.
    const junkCounted = async (): Promise<boolean> => {
      await relay.workerStats();
      const { dropped } = relay.stats();
      return (dropped.unknown_type ?? 0) + (dropped.unknown_ssrc ?? 0) >= 800;
    };
    await waitFor('every datagram read', junkCounted);
    const workers = await relay.workerStats();
    expect(workers.every((w) => w.packetsIn > 0)).toBe(true);
    expect(relay.stats().dropped).toEqual({ unknown_type: 400, unknown_ssrc: 400 });
    const heard = collectMedia(ben);
    media(ana, 1);
    await waitFor('Ana still heard', () => heard.length === 1);
  });

  it('forwards media from a member on the worker thread down a stream member’s connection, and back', async () => {
    const relay = await harness.relay(quiet);
    const ana = await harness.join(relay, { room: 'mixed', name: 'Ana', transport: 'tcp' });
    const ben = await harness.join(relay, { room: 'mixed', name: 'Ben', transport: 'udp' });
    await waitFor('rosters', () => peerNames(ana).includes('Ben') && peerNames(ben).includes('Ana'));
    await landOn(relay, ben, 1);
    const byAna = collectMedia(ana);
    const byBen = collectMedia(ben);
    for (let s = 1; s <= 5; s++) {
      media(ben, s);
      media(ana, s);
    }
    await waitFor('both heard five', () => byAna.length === 5 && byBen.length === 5);
    expect(byAna.map((a) => a.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(byBen.map((a) => a.sequence)).toEqual([1, 2, 3, 4, 5]);
  });
});
