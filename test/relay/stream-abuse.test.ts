import fc from 'fast-check';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { encodeControl } from '../../server/protocol/control.js';
import { encodeFrame } from '../../server/protocol/stream-framing.js';
import { ManualClock } from '../../server/shared/clock.js';
import { collectMedia, peerNames, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when the relay has closed (or reset) `socket`. */
const closedByRelay = (socket: Socket): Promise<void> =>
  new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });

describe("the relay's TCP side under abuse, while UDP members talk", () => {
  const harness = relayHarness();
  const sockets: Socket[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A raw TCP connection to the relay, from `from` (another loopback address is another source). */
  function open(relay: RelayHandle, from = '127.0.0.1'): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: relay.tcpPort!, localAddress: from });
      sockets.push(socket);
      socket.on('error', () => {}); // a reset from the relay is what some of these tests expect
      socket.resume(); // read (and drop) what the relay sends, so its closing is seen
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  /** Two UDP members in one room, and a talker sending `count` packets 5 ms apart: what the listener heard. */
  async function udpConversation(relay: RelayHandle): Promise<{ talk(count: number): Promise<void>; heard: () => number; ana: RelaySession; ben: RelaySession }> {
    const ana = await harness.join(relay, { room: 'calm', name: 'Ana', transport: 'udp' });
    const ben = await harness.join(relay, { room: 'calm', name: 'Ben', transport: 'udp' });
    await waitFor('rosters', () => peerNames(ana).length === 1 && peerNames(ben).length === 1);
    const heard = collectMedia(ben);
    let sequence = 0;
    return {
      ana,
      ben,
      heard: () => heard.length,
      async talk(count: number) {
        for (let i = 0; i < count; i++) {
          sequence++;
          ana.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 960 * sequence }, new Uint8Array(80).fill(sequence & 0xff));
          await sleep(5);
        }
      },
    };
  }

  it('cuts off a peer that sends a frame that is neither RTP nor control, or a length over the maximum, and counts each', async () => {
    const relay = await harness.relay();
    const garbage = await open(relay);
    garbage.write(encodeFrame(Uint8Array.of(0x00, 1, 2, 3)));
    await closedByRelay(garbage);
    const oversized = await open(relay);
    oversized.write(Buffer.from([0x04, 0xb1, 0x50])); // 1201 bytes announced
    await closedByRelay(oversized);
    const empty = await open(relay);
    empty.write(Buffer.from([0x00, 0x00]));
    await closedByRelay(empty);
    await waitFor('counted', () => relay.stats().streamsOpen === 0);
    expect(relay.stats()).toMatchObject({ streamsAccepted: 3, streamsOpen: 0, streamsCut: { garbage: 1, oversized: 1, empty: 1 } });
    const metrics = await relay.metrics();
    expect(metrics).toContain('parley_streams_cut_total{reason="garbage"} 1');
    expect(metrics).toContain('parley_streams_cut_total{reason="oversized"} 1');
  });

  it('survives random byte streams and mutated frames on 200 connections, and still serves a TCP member after', { timeout: 30_000 }, async () => {
    const relay = await harness.relay({ streamLimits: { firstFrameMs: 300, partialFrameMs: 300, idleMs: 300, sweepIntervalMs: 20 } });
    const hello = encodeFrame(encodeControl({ type: 'hello', clientNonce: new Uint8Array(16).fill(3) }));
    const streams = fc.sample(
      fc.oneof(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 2_000 }), { minLength: 1, maxLength: 4 }),
        // A real frame with a few bytes changed: past the length check, into the decoders.
        fc.tuple(fc.nat(hello.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(hello.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, a, j, b]) => {
          const bytes = Buffer.from(hello);
          bytes[i] = a;
          bytes[j] = b;
          return [bytes];
        }),
      ),
      { numRuns: 200, seed: 12 },
    );
    for (let i = 0; i < streams.length; i += 20) {
      await Promise.all(
        streams.slice(i, i + 20).map(async (chunks) => {
          const socket = await open(relay, `127.0.2.${1 + (i % 200)}`);
          for (const chunk of chunks) socket.write(chunk);
          await closedByRelay(socket);
        }),
      );
    }
    await waitFor('every connection gone', () => relay.stats().streamsOpen === 0);
    const stats = relay.stats();
    expect(stats.streamsAccepted).toBe(200);
    expect(Object.values(stats.streamsCut).reduce((sum, n) => sum + (n ?? 0), 0)).toBe(200);
    const ana = await harness.join(relay, { room: 'after', name: 'Ana', transport: 'tcp' });
    const ben = await harness.join(relay, { room: 'after', name: 'Ben', transport: 'udp' });
    await waitFor('rosters', () => peerNames(ana).length === 1 && peerNames(ben).length === 1);
  });

  it('answers a HELLO framed on TCP with a COOKIE on the same stream, as over UDP', async () => {
    const relay = await harness.relay();
    const socket = await open(relay);
    const reply = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(encodeFrame(encodeControl({ type: 'hello', clientNonce: new Uint8Array(16).fill(7) })));
    const bytes = await reply;
    expect(bytes.readUInt16BE(0)).toBe(bytes.length - 2);
    expect(bytes[2]).toBe(0x50);
    expect(relay.stats().controlSent).toBe(1);
  });

  it('holds a flood of silent connections to per-address and total limits, cuts them when their first frame does not come, and UDP members lose nothing', { timeout: 30_000 }, async () => {
    // The relay's clock stands still while the connections open, however long a busy machine takes; then it moves past the first-frame limit.
    const clock = new ManualClock(1_000);
    const relay = await harness.relay({
      clock,
      streamLimits: { maxConnections: 500, perAddress: 16, firstFrameMs: 4_000, sweepIntervalMs: 50 },
      // With the clock stopped no budget refills: give the talker enough for the whole call.
      rateLimit: { burstPackets: 10_000, burstBytes: 10_000_000 },
    });
    const call = await udpConversation(relay);
    const talking = call.talk(400);
    // 2000 connections, 100 at a time (so the listen backlog never overflows): 1000 from one address, then 20 from each of 50 others.
    const sources = [...Array<string>(1_000).fill('127.0.0.2'), ...Array.from({ length: 50 }, (_, a) => Array<string>(20).fill(`127.0.1.${a + 1}`)).flat()];
    for (let i = 0; i < sources.length; i += 100) await Promise.all(sources.slice(i, i + 100).map((from) => open(relay, from)));
    const refusedSoFar = (): number => (relay.stats().streamsCut.per_address_limit ?? 0) + (relay.stats().streamsCut.connection_limit ?? 0);
    await waitFor('every connection accepted or refused', () => relay.stats().streamsAccepted + refusedSoFar() === 2_000, 5_000);
    const whileOpen = relay.stats();
    expect(whileOpen.streamsAccepted).toBe(500);
    expect(whileOpen.streamsOpen).toBe(500);
    expect(refusedSoFar()).toBe(1_500);
    // The one address got its 16 and no more: its other 984 were refused for it alone.
    expect(whileOpen.streamsCut.per_address_limit).toBeGreaterThanOrEqual(984);
    await talking;
    expect(relay.stats().streamsOpen).toBe(500);
    clock.advance(4_000);
    await waitFor('silent connections cut', () => relay.stats().streamsOpen === 0, 5_000);
    expect(relay.stats().streamsCut.idle).toBe(500);
    await waitFor('every packet heard', () => call.heard() === 400, 2_000);
    expect(relay.stats().droppedTotal).toBe(0);
  });

  it('cuts a slowloris (a frame begun and never finished) exactly at partialFrameMs, and an idle connection exactly at idleMs', async () => {
    const clock = new ManualClock(1_000);
    const relay = await harness.relay({ clock, streamLimits: { partialFrameMs: 400, idleMs: 800, firstFrameMs: 5_000, sweepIntervalMs: 10 } });
    /** Whether the relay still has the connection after a few sweeps at the clock's present time. */
    const stillOpenAfterSweeps = async (socket: Socket): Promise<boolean> => {
      await sleep(60);
      return !socket.destroyed && relay.stats().streamsOpen > 0;
    };
    const slow = await open(relay);
    slow.write(Buffer.from([0x00, 0x60, 0x50]));
    await waitFor('accepted', () => relay.stats().streamsAccepted === 1);
    await sleep(50); // the relay reads the partial frame at this clock time
    // A byte now and then does not reset the limit: it counts from the frame's first byte.
    clock.advance(200);
    slow.write(Buffer.from([0x01]));
    expect(await stillOpenAfterSweeps(slow)).toBe(true);
    clock.advance(199);
    expect(await stillOpenAfterSweeps(slow)).toBe(true);
    clock.advance(1);
    await closedByRelay(slow);
    expect(relay.stats().streamsCut).toEqual({ slow_sender: 1 });

    const idle = await open(relay);
    const answered = new Promise((resolve) => idle.once('data', resolve));
    idle.write(encodeFrame(encodeControl({ type: 'hello', clientNonce: new Uint8Array(16).fill(1) })));
    await answered;
    clock.advance(799);
    expect(await stillOpenAfterSweeps(idle)).toBe(true);
    clock.advance(1);
    await closedByRelay(idle);
    await waitFor('counted', () => relay.stats().streamsOpen === 0);
    expect(relay.stats().streamsCut).toEqual({ slow_sender: 1, idle: 1 });
  });

  it('cuts off a TCP member that stops reading once its queue is full, rather than holding more, and the UDP listener gets every packet', { timeout: 30_000 }, async () => {
    const relay = await harness.relay({
      rateLimit: { packetsPerSecond: 100_000, burstPackets: 100_000, bytesPerSecond: 1e9, burstBytes: 1e9 },
      streamLimits: { maxQueuedBytes: 32 * 1024 },
    });
    // The TCP member reaches the relay through a pass-through that stops reading from the relay on request.
    let stalled = false;
    const upstreams: Socket[] = [];
    const passThrough = createServer((client) => {
      const upstream = connect(relay.tcpPort!, '127.0.0.1');
      upstreams.push(upstream);
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (stalled) upstream.pause();
        else client.write(chunk);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => passThrough.listen(0, '127.0.0.1', resolve));
    servers.push(passThrough);
    const port = (passThrough.address() as { port: number }).port;
    const cai = await harness.connect({ relay: { host: '127.0.0.1', port }, room: 'calm', name: 'Cai', transport: 'tcp' });
    const ana = await harness.join(relay, { room: 'calm', name: 'Ana', transport: 'udp' });
    const ben = await harness.join(relay, { room: 'calm', name: 'Ben', transport: 'udp' });
    await waitFor('rosters', () => peerNames(ben).length === 2 && peerNames(cai).length === 2);
    stalled = true;
    const heard = collectMedia(ben);
    // 10 000 packets of 1000 bytes (10 MB: more than the kernel buffers between the relay and a reader that stopped) in bursts of 20.
    for (let sequence = 1; sequence <= 10_000; sequence++) {
      ana.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence, timestamp: 960 * sequence }, new Uint8Array(1_000).fill(sequence & 0xff));
      if (sequence % 20 === 0) await sleep(5);
    }
    await waitFor('every packet heard over UDP', () => heard.length === 10_000, 10_000);
    await waitFor('the slow reader cut', () => relay.stats().streamsCut.slow_reader === 1, 5_000);
    expect(relay.stats().streamsOpen).toBe(0);
    // What was queued when it was cut, and after: dropped and counted, never held.
    expect(relay.stats().streamSendsDropped).toBeGreaterThan(0);
  });
});
