import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TCP_QUEUED_DATAGRAMS, TcpTransport } from '../../electron/net/tcp-transport.js';
import { encodeControl } from '../../server/protocol/control.js';
import { FrameDecoder } from '../../server/protocol/stream-framing.js';
import { waitFor } from '../helpers/relay.js';

/** An RTP-looking datagram (first byte 0x80) numbered `n`. */
const media = (n: number): Buffer => {
  const datagram = Buffer.alloc(1_000, 0);
  datagram[0] = 0x80;
  datagram.writeUInt32BE(n, 4);
  return datagram;
};

describe('the client TCP transport', () => {
  let server: Server | undefined;
  let transport: TcpTransport | undefined;
  const accepted: Socket[] = [];
  afterEach(async () => {
    transport?.close();
    for (const socket of accepted.splice(0)) socket.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('against a reader that stalls, keeps at most ten datagrams waiting (control among them) by dropping the oldest audio, never control, and delivers the rest in order', { timeout: 20_000 }, async () => {
    let peer: Socket | undefined;
    server = createServer((socket) => {
      peer = socket;
      accepted.push(socket);
      socket.pause();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    transport = new TcpTransport({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
    await waitFor('accepted', () => peer);
    // Enough to fill the kernel's buffers both sides, so the transport's own queue has to hold the rest.
    const control = encodeControl({ type: 'hello', clientNonce: new Uint8Array(16).fill(9) });
    let n = 0;
    await waitFor('the stream backs up', () => {
      for (let i = 0; i < 200; i++) transport!.send(media(++n));
      return transport!.queued > 0;
    }, 10_000, 0);
    for (let i = 0; i < 50; i++) transport.send(media(++n));
    transport.send(control);
    for (let i = 0; i < 50; i++) transport.send(media(++n));
    expect(transport.queued).toBe(TCP_QUEUED_DATAGRAMS); // nine media and the one control message
    const sent = n;
    const dropped = transport.droppedMedia;
    expect(dropped).toBeGreaterThanOrEqual(90);

    const decoder = new FrameDecoder();
    const frames: Buffer[] = [];
    peer!.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk).frames));
    peer!.resume();
    await waitFor('everything kept arrives', () => frames.length === sent - dropped + 1, 10_000);
    const numbers = frames.filter((f) => f[0] === 0x80).map((f) => f.readUInt32BE(4));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers.at(-1)).toBe(sent);
    expect(frames.filter((f) => f[0] === 0x50)).toHaveLength(1);
  });
});
