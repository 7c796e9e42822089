import { OpusDecoder } from 'opus-decoder';
import type { ManualClock } from '../../../server/shared/clock.js';
import type { OutgoingPacket, SendPipeline } from '../../../electron/engine/send/send-pipeline.js';
import { blocksOf } from '../../support/signals.js';

export interface Sent extends OutgoingPacket {
  /** Index of the pushed block that returned this packet. */
  block: number;
}

export interface Drive {
  packets: Sent[];
  /** `talking` after each block. */
  talking: boolean[];
}

/**
 * Pushes a signal block by block, advancing the clock 10 ms a block as a
 * real microphone would, and calls `before(i)` ahead of block i (to press
 * keys, mute, reconfigure).
 */
export function drive(pipeline: SendPipeline, signal: Float32Array, clock: ManualClock, before?: (block: number) => void, firstBlock = 0): Drive {
  const packets: Sent[] = [];
  const talking: boolean[] = [];
  blocksOf(signal).forEach((block, i) => {
    before?.(firstBlock + i);
    for (const packet of pipeline.push(block)) packets.push({ ...packet, block: firstBlock + i });
    talking.push(pipeline.talking);
    clock.advance(10);
  });
  return { packets, talking };
}

/** The 16-bit distance from one sequence number to the next, and the 32-bit one between timestamps. */
export const sequenceSteps = (packets: OutgoingPacket[]): number[] => packets.slice(1).map((p, i) => (p.sequence - packets[i]!.sequence) & 0xffff);
export const timestampSteps = (packets: OutgoingPacket[]): number[] => packets.slice(1).map((p, i) => (p.timestamp - packets[i]!.timestamp) >>> 0);

/** Decodes Opus frames with a WASM libopus decoder (a different build from the encoder's). */
export async function decodeOpus(frames: Uint8Array[]): Promise<{ samples: Float32Array[]; errors: number }> {
  const decoder = new OpusDecoder({ channels: 1 });
  await decoder.ready;
  try {
    const samples: Float32Array[] = [];
    let errors = 0;
    for (const frame of frames) {
      const decoded = decoder.decodeFrame(frame);
      errors += decoded.errors.length;
      samples.push(decoded.channelData[0]!.slice(0, decoded.samplesDecoded));
    }
    return { samples, errors };
  } finally {
    decoder.free();
  }
}
