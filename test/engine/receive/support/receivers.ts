import { afterEach } from 'vitest';
import { OpusFrameDecoder } from '../../../../electron/engine/receive/opus-frame-decoder.js';
import { PeerReceiver, type PeerReceiverOptions } from '../../../../electron/engine/receive/peer-receiver.js';

/** Creates receivers (their decoders ready) for a test file and closes them after each test. */
export function receiverFactory(): (options?: PeerReceiverOptions) => Promise<PeerReceiver> {
  const open: PeerReceiver[] = [];
  afterEach(() => {
    for (const receiver of open.splice(0)) receiver.close();
  });
  return async (options) => {
    const decoder = await OpusFrameDecoder.create();
    try {
      const receiver = new PeerReceiver(decoder, options);
      open.push(receiver);
      return receiver;
    } catch (error) {
      decoder.close();
      throw error;
    }
  };
}

/** Index of the first sample where `a` (from `aAt`) and `b` (from `bAt`) differ over `n` samples, or -1. */
export function firstMismatch(a: Float32Array, aAt: number, b: Float32Array, bAt: number, n: number): number {
  if (aAt + n > a.length || bAt + n > b.length) return -2;
  for (let i = 0; i < n; i++) if (a[aAt + i] !== b[bAt + i]) return i;
  return -1;
}

/** Whether every sample in [from, to) is exactly zero. */
export function silentBetween(x: Float32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (x[i] !== 0) return false;
  return true;
}
