/**
 * The cpu case's floor: a process that wakes up exactly as the measured
 * client does (two 10 ms device clocks, 50 datagrams/s sent, whatever the
 * parent sends it received) but does no audio, crypto or protocol work. Its
 * CPU is what Node's event loop costs on this machine for a voice client's
 * rhythm, before the engine does anything. Argument: JSON FloorArgs.
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { BlockClock } from '../../electron/audio/block-clock.js';

export interface FloorArgs {
  /** Where to send our 50 datagrams/s (the parent's sink). */
  sinkPort: number;
  warmupMs: number;
  windowMs: number;
}

export interface FloorResult {
  type: 'result';
  cpuPct: number;
  cpuSystemPct: number;
  datagramsReceived: number;
}

const args = JSON.parse(process.argv[2]!) as FloorArgs;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const DATAGRAM = Buffer.alloc(110);

const socket = createSocket('udp4');
let received = 0;
socket.on('message', () => received++);
await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
await new Promise<void>((resolve) => socket.connect(args.sinkPort, '127.0.0.1', resolve));

// The microphone's clock sends every other block (20 ms frames); the speaker's only ticks.
let blocks = 0;
const microphone = new BlockClock('realtime', () => {
  if (++blocks % 2 === 0) socket.send(DATAGRAM);
  return true;
});
const speaker = new BlockClock('realtime', () => true);
microphone.start();
speaker.start();
process.send?.({ type: 'ready', port: (socket.address() as AddressInfo).port });

await sleep(args.warmupMs);
const before = process.cpuUsage();
const wallBefore = performance.now();
const receivedBefore = received;
await sleep(args.windowMs);
const cpu = process.cpuUsage(before);
const wallMs = performance.now() - wallBefore;
const result: FloorResult = {
  type: 'result',
  cpuPct: Number(((100 * (cpu.user + cpu.system)) / 1000 / wallMs).toFixed(2)),
  cpuSystemPct: Number(((100 * cpu.system) / 1000 / wallMs).toFixed(2)),
  datagramsReceived: received - receivedBefore,
};
process.send?.(result);
microphone.stop();
speaker.stop();
socket.close();
process.disconnect?.();
