import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { encodeControl } from '../../server/protocol/control.js';
import { encodeFrame, FrameDecoder } from '../../server/protocol/stream-framing.js';
import { afterEach, describe, expect, it } from 'vitest';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { collectMedia, peerNames, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('relay with members over TCP and over UDP', () => {
  const harness = relayHarness();

  it('listens on TCP at its UDP port number and forwards both ways between a TCP and a UDP member', async () => {
    const relay = await harness.relay();
    expect(relay.tcpPort).toBe(relay.address.port);
    const ana = await harness.join(relay, { room: 'mixed', name: 'Ana', secret: 'room secret', transport: 'tcp' });
    const ben = await harness.join(relay, { room: 'mixed', name: 'Ben', secret: 'room secret', transport: 'udp' });
    expect(ana.transportKind).toBe('tcp');
    expect(ben.transportKind).toBe('udp');
    await waitFor('rosters', () => peerNames(ana).length === 1 && peerNames(ben).length === 1);
    expect(peerNames(ana)).toEqual(['Ben']);
    expect(ana.encrypted).toBe(true);

    const heardByAna = collectMedia(ana);
    const heardByBen = collectMedia(ben);
    for (let i = 0; i < 50; i++) {
      ana.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1000 + i, timestamp: 960 * i }, Uint8Array.from([i, 1]));
      ben.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: 9 + i, timestamp: 960 * i }, Uint8Array.from([i, 2]));
    }
    await waitFor('media both ways', () => heardByAna.length === 50 && heardByBen.length === 50);
    expect(heardByBen.map((m) => [m.peerId, m.sequence, [...m.payload]])).toEqual(Array.from({ length: 50 }, (_, i) => [ana.memberId, 1000 + i, [i, 1]]));
    expect(heardByAna.map((m) => [m.peerId, m.sequence, [...m.payload]])).toEqual(Array.from({ length: 50 }, (_, i) => [ben.memberId, 9 + i, [i, 2]]));
    expect(relay.stats()).toMatchObject({ members: 2, mediaIn: 100, mediaForwarded: 100, droppedTotal: 0, streamsAccepted: 1, streamsOpen: 1, streamsCut: {} });
    expect(await relay.metrics()).toContain('parley_streams_accepted_total 1');
  });

  const tcpForwarders: Server[] = [];
  afterEach(async () => {
    await Promise.all(tcpForwarders.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A plain TCP pass-through to the relay on the UDP proxy's port number, as a firewall that blocks only UDP leaves it. */
  async function tcpPassThrough(port: number, relayPort: number): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(relayPort, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    tcpForwarders.push(server);
  }

  it('moves a member from UDP to TCP when UDP stops, and back when it works again, keeping its place', { timeout: 20_000 }, async () => {
    const relay = await harness.relay();
    const proxy = await harness.proxy(relay);
    await tcpPassThrough(proxy.port, relay.address.port);
    const ana = await harness.join(proxy, { room: 'moving', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'moving', name: 'Ben', transport: 'udp' });
    await waitFor('rosters', () => peerNames(ana).length === 1 && peerNames(ben).length === 1);
    expect(ana.transportKind).toBe('udp');
    const memberId = ana.memberId;
    const switches: string[] = [];
    ana.on('transport', (to) => switches.push(to));
    const heard = collectMedia(ben);
    let sequence = 0;
    const speak = (): void => ana.sendMedia({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: ++sequence, timestamp: 960 * sequence }, Uint8Array.of(sequence & 0xff));
    const talking = setInterval(speak, 20);
    try {
      await waitFor('media over UDP', () => heard.length > 0);
      proxy.setImpairment('toRelay', { lossPct: 100 });
      proxy.setImpairment('toClient', { lossPct: 100 });
      await waitFor('the switch to TCP', () => ana.transportKind === 'tcp', 6_000);
      const before = heard.length;
      await waitFor('media over TCP', () => heard.length > before + 10, 2_000);
      expect(relay.stats().streamsOpen).toBe(1);
      proxy.setImpairment('toRelay', {});
      proxy.setImpairment('toClient', {});
      await waitFor('the return to UDP', () => ana.transportKind === 'udp', 4_000);
      const back = heard.length;
      await waitFor('media over UDP again', () => heard.length > back + 10, 2_000);
    } finally {
      clearInterval(talking);
    }
    expect(switches).toEqual(['tcp', 'udp']);
    expect(ana.memberId).toBe(memberId);
    expect(relay.stats()).toMatchObject({ joins: 2, roams: 2 });
  });

  it('serves TLS on a port of its own when given a certificate: a framed HELLO over it is answered with a COOKIE, and the per-address limit holds before the handshake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=relay.test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const probe = await harness.relay();
    const tlsPort = probe.address.port; // free for TCP a moment ago: the probe relay listened on it
    await probe.close();
    const relay = await harness.relay({ tls: { port: tlsPort, cert: readFileSync(cert), key: readFileSync(key) }, streamLimits: { perAddress: 1 } });
    expect(relay.tlsPort).toBe(tlsPort);
    const socket = connectTls({ host: '127.0.0.1', port: tlsPort, ca: readFileSync(cert), servername: 'relay.test' });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const decoder = new FrameDecoder();
    const frames = new Promise<Buffer[]>((resolve) => socket.on('data', (chunk: Buffer) => resolve(decoder.push(chunk).frames)));
    socket.write(encodeFrame(encodeControl({ type: 'hello', clientNonce: new Uint8Array(16).fill(4) })));
    const [cookie] = await frames;
    expect(cookie![0]).toBe(0x50);
    expect(relay.stats()).toMatchObject({ streamsAccepted: 1, controlSent: 1 });
    // The limits hold before the handshake: a second connection from this address is refused at once, TLS or not.
    const second = connectTls({ host: '127.0.0.1', port: tlsPort, ca: readFileSync(cert), servername: 'relay.test' });
    second.on('error', () => {});
    await new Promise((resolve) => second.once('close', resolve));
    await waitFor('counted', () => relay.stats().streamsCut.per_address_limit === 1);
    expect(relay.stats()).toMatchObject({ streamsAccepted: 1, streamsOpen: 1 });
    expect(relay.stats().streamsCut).toEqual({ per_address_limit: 1 });
    socket.destroy();
    // Plain text where TLS is expected: the handshake fails, counted as garbage, and the relay serves on.
    await waitFor('first gone', () => relay.stats().streamsOpen === 0);
    const plain = connect(tlsPort, '127.0.0.1');
    plain.on('error', () => {});
    plain.resume();
    plain.write('GET / HTTP/1.0\r\n\r\n');
    await new Promise((resolve) => plain.once('close', resolve));
    await waitFor('counted', () => relay.stats().streamsCut.garbage === 1);
  });

  it('can be told not to listen on TCP', async () => {
    const relay = await harness.relay({ tcp: false });
    expect(relay.tcpPort).toBeUndefined();
  });
});
