import { createSocket, type RemoteInfo } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface NaiveRelayHandle {
  port: number;
  close(): Promise<void>;
}

/**
 * The seed design Parley's relay replaced, kept only as the benchmark's
 * baseline: one socket that remembers every source address it has heard and
 * sends each datagram to all the others. No rooms, no handshake, no checks.
 * Its socket buffers match Parley's relay so the comparison is about the
 * forwarding logic, not kernel tuning.
 */
export async function startNaiveRelay(host: string, port: number): Promise<NaiveRelayHandle> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  const heard = new Map<string, RemoteInfo>();
  socket.on('message', (datagram, from) => {
    const key = `${from.address}:${from.port}`;
    if (!heard.has(key)) heard.set(key, from);
    for (const [other, to] of heard) {
      if (other !== key) socket.send(datagram, to.port, to.address);
    }
  });
  // Never let a failed send (a full buffer) end the process.
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: (socket.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
