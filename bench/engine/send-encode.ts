/**
 * Cost and output of the send path on real speech. Prints one JSON line:
 * - usPerPush*: wall time of SendPipeline.push() for one 10 ms block,
 *   conditioning, voice detection and (every second block, at 20 ms frames)
 *   Opus encoding included, in continuous mode so every frame is encoded;
 *   usEncodingPushP50 / usPlainPushP50 split the pushes that completed (and
 *   encoded) a frame from those that only buffered their block;
 * - kbpsTalking / kbpsSilent: payload bit rate (RTP payload, no headers)
 *   while the voice detector hears speech and while it does not, in
 *   continuous mode (silence then costs only DTX comfort-noise updates);
 * - kbpsVoiceActivated: average payload rate over the file with voice
 *   activation, as a room actually sends it.
 * Run: npx tsx bench/engine/send-encode.ts [speech.wav]  (48 kHz mono 16-bit)
 */
import { BLOCK_SAMPLES, SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import { SendPipeline, type SendPipelineOptions } from '../../electron/engine/send/send-pipeline.js';
import { ManualClock } from '../../server/shared/clock.js';
import { SPEECH_WAV } from '../../test/engine/send/helpers.js';
import { blocksOf } from '../../test/support/signals.js';
import { readFixtureWav } from '../../test/support/wav-fixture.js';
import { round } from './stats.js';

const ROUNDS = 20;
const WARM_UP_ROUNDS = 2;
const file = process.argv[2] ?? SPEECH_WAV;

function pipeline(activation: SendPipelineOptions['activation'], clock: ManualClock): SendPipeline {
  return new SendPipeline({ frameMs: 20, bitrate: 24_000, activation, red: 'off', clock });
}

const blocks = blocksOf(readFixtureWav(file));
const clock = new ManualClock();

// Timing and talking/silent rates, continuous mode.
const timed = pipeline('continuous', clock);
const durations: number[] = [];
const encoding: number[] = [];
const plain: number[] = [];
const bytes = { talking: 0, silent: 0 };
const blocksCounted = { talking: 0, silent: 0 };
for (let pass = 0; pass < WARM_UP_ROUNDS + ROUNDS; pass++) {
  const measuring = pass >= WARM_UP_ROUNDS;
  for (const block of blocks) {
    const framesBefore = timed.stats.framesEncoded;
    const start = process.hrtime.bigint();
    const packets = timed.push(block);
    const elapsed = Number(process.hrtime.bigint() - start) / 1000;
    clock.advance(10);
    if (!measuring) continue;
    durations.push(elapsed);
    (timed.stats.framesEncoded > framesBefore ? encoding : plain).push(elapsed);
    const side = timed.voiceDetected ? 'talking' : 'silent';
    blocksCounted[side]++;
    for (const packet of packets) bytes[side] += packet.payload.length;
  }
}
for (const list of [durations, encoding, plain]) list.sort((a, b) => a - b);
const at = (q: number, list = durations): number => list[Math.min(list.length - 1, Math.floor(q * list.length))]!;
const kbps = (byteCount: number, blockCount: number): number => (blockCount === 0 ? 0 : (byteCount * 8) / (blockCount * 10));

// What voice activation actually sends over the file.
const gated = pipeline('voice', clock);
let gatedBytes = 0;
for (const block of blocks) {
  for (const packet of gated.push(block)) gatedBytes += packet.payload.length;
  clock.advance(10);
}

console.log(
  JSON.stringify({
    bench: 'engine-send-encode',
    frameMs: 20,
    bitrate: 24_000,
    pushes: durations.length,
    usPerPushMean: round(durations.reduce((a, b) => a + b, 0) / durations.length),
    usPerPushP50: round(at(0.5)),
    usPerPushP99: round(at(0.99)),
    usPerPushMax: round(durations.at(-1)!),
    usEncodingPushP50: round(at(0.5, encoding)),
    usPlainPushP50: round(at(0.5, plain)),
    kbpsTalking: round(kbps(bytes.talking, blocksCounted.talking), 2),
    kbpsSilent: round(kbps(bytes.silent, blocksCounted.silent), 2),
    talkingShare: round(blocksCounted.talking / durations.length, 3),
    kbpsVoiceActivated: round(kbps(gatedBytes, blocks.length), 2),
    speechSeconds: round((blocks.length * BLOCK_SAMPLES) / SAMPLE_RATE, 2),
  }),
);
