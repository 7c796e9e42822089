/**
 * Cost of the receive path's playout tick: µs per PeerReceiver.pull() (one
 * 10 ms block, Opus decode included) for 1 and 4 peers, over 20 s of real
 * speech at 20 ms / 24 kbit/s with RED. Prints one JSON line.
 *
 *   npx tsx bench/engine/receive-pull.ts
 */
import { Encoder } from '@evan/opus';
import { floatToInt16 } from '../../electron/engine/audio-format.js';
import { OpusFrameDecoder } from '../../electron/engine/receive/opus-frame-decoder.js';
import { PeerReceiver, type IncomingPacket } from '../../electron/engine/receive/peer-receiver.js';
import { OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { encodeRed } from '../../server/protocol/red.js';
import { loopedSpeech } from '../../test/engine/receive/support/signals.js';

const FRAME = 960;
const SECONDS = 20;
const WARMUP_BLOCKS = 200;

/** One peer's packets, with a little deterministic jitter so the buffer works as it does live. */
function stream(pcm: Int16Array, seed: number): IncomingPacket[] {
  const encoder = new Encoder({ channels: 1, sample_rate: 48000, application: 'voip' });
  encoder.bitrate = 24_000;
  const packets: IncomingPacket[] = [];
  let previous: Uint8Array | undefined;
  for (let k = 0; k * FRAME + FRAME <= pcm.length; k++) {
    const opus = encoder.encode(pcm.subarray(k * FRAME, (k + 1) * FRAME)).slice();
    const jitter = ((k * 7919 + seed * 104_729) % 23) - 11;
    packets.push({
      index: seed * 1000 + k,
      timestamp: (seed * 1_000_000 + k * FRAME) >>> 0,
      marker: k === 0,
      payloadType: previous ? RED_PAYLOAD_TYPE : OPUS_PAYLOAD_TYPE,
      payload: previous
        ? encodeRed([{ payloadType: OPUS_PAYLOAD_TYPE, timestampOffset: FRAME, data: previous }], { payloadType: OPUS_PAYLOAD_TYPE, data: opus })
        : opus,
      arrivalMs: 20 * (k + 1) + 30 + jitter,
    });
    previous = opus;
  }
  return packets.sort((a, b) => a.arrivalMs - b.arrivalMs);
}

async function run(peers: number): Promise<Record<string, number>> {
  const pcm = floatToInt16(loopedSpeech(SECONDS * 1000));
  const streams = Array.from({ length: peers }, (_, p) => stream(pcm, p + 1));
  const receivers = await Promise.all(streams.map(async () => new PeerReceiver(await OpusFrameDecoder.create())));
  const next = streams.map(() => 0);
  const pullTimes: number[] = [];
  let insertMs = 0;
  let inserts = 0;
  const blocks = SECONDS * 100 + 20;
  for (let b = 0; b < blocks; b++) {
    const now = b * 10;
    for (let p = 0; p < peers; p++) {
      const packets = streams[p]!;
      const t0 = performance.now();
      while (next[p]! < packets.length && packets[next[p]!]!.arrivalMs <= now) {
        receivers[p]!.insert(packets[next[p]!]!);
        next[p]!++;
        inserts++;
      }
      insertMs += performance.now() - t0;
    }
    for (let p = 0; p < peers; p++) {
      const t0 = performance.now();
      receivers[p]!.pull(now);
      if (b >= WARMUP_BLOCKS) pullTimes.push(performance.now() - t0);
    }
  }
  const stats = receivers[0]!.stats();
  for (const receiver of receivers) receiver.close();
  pullTimes.sort((a, b) => a - b);
  const mean = pullTimes.reduce((sum, t) => sum + t, 0) / pullTimes.length;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    usPerPull: round(mean * 1000),
    medianUsPerPull: round(pullTimes[Math.floor(pullTimes.length / 2)]! * 1000),
    p99UsPerPull: round(pullTimes[Math.floor(pullTimes.length * 0.99)]! * 1000),
    usPerTick: round(mean * 1000 * peers),
    cpuPctOfRealTime: round((mean * peers * 100) / 10),
    usPerInsert: round((insertMs / inserts) * 1000),
    concealedPct: round(stats.concealedPct),
  };
}

// A first pass lets the JIT compile the hot paths, as it will have in a running client.
await run(2);
const one = await run(1);
const four = await run(4);
console.log(JSON.stringify({ bench: 'engine-receive-pull', frameMs: 20, kbps: 24, red: true, seconds: SECONDS, peers1: one, peers4: four }));
