import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import { BLOCK_SAMPLES, SAMPLES_PER_MS, type FrameMs } from '../../electron/engine/audio-format.js';
import { concatSamples } from '../../test/audio/helpers/signal.js';
import { noise } from '../../test/engine/send/helpers.js';
import { correlationAt } from '../../test/support/audio-compare.js';
import { ended, hears, sleep, VoiceRig } from '../../test/support/voice-rig.js';
import { TimedInput, TimedOutput } from './edge-taps.js';
import { quantile, round } from './stats.js';

const MARKER_EVERY_MS = 500;
const LEAD_IN_MS = 1_000;
/** How far after its input time a marker is looked for in the output. */
const SEARCH_MS = 300;
/** Below this normalised correlation a marker counts as not found. */
const FOUND_ABOVE = 0.5;

/** A 20 ms rising chirp (300 Hz to 3 kHz) under a Hann window: sharp in time after correlation, and speech-band. */
function chirp(): Float32Array {
  const n = 20 * SAMPLES_PER_MS;
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (300 + (2700 * i) / n)) / 48_000;
    out[i] = 0.5 * Math.sin(phase) * 0.5 * (1 - Math.cos((2 * Math.PI * i) / (n - 1)));
  }
  return out;
}

/**
 * Mouth-to-ear latency at the engine's edges: chirps every 500 ms, over a
 * quiet noise bed so the encoder keeps sending (continuous transmission, no
 * DTX gaps), from one client's WAV "microphone" through the relay on loopback
 * to another's WAV "speaker", both paced in real time. Each chirp's latency is
 * the time its first sample was handed to the output less the time it was
 * delivered by the input (block times plus the sample's place in its block),
 * found by correlation.
 */
export async function latencyCase(frameMs: FrameMs, options: { sessions: number; secondsEach: number }): Promise<Record<string, unknown>> {
  const latencies: number[] = [];
  let markers = 0;
  let lostPct = 0;
  for (let session = 0; session < options.sessions; session++) {
    const run = await latencySession(frameMs, options.secondsEach);
    latencies.push(...run.latencies);
    markers += run.markers;
    lostPct = Math.max(lostPct, run.lostPct);
  }
  return {
    case: 'latency',
    frameMs,
    sessions: options.sessions,
    markers,
    found: latencies.length,
    p50Ms: round(quantile(latencies, 0.5)),
    p95Ms: round(quantile(latencies, 0.95)),
    minMs: round(Math.min(...latencies)),
    maxMs: round(Math.max(...latencies)),
    lostPct: round(lostPct, 2),
  };
}

/**
 * One pair of clients: their capture and playout clocks run with whatever
 * phase they happened to start with, which sets up to one block (10 ms) of
 * the latency for the whole session; several sessions sample that phase.
 */
async function latencySession(frameMs: FrameMs, seconds: number): Promise<{ latencies: number[]; markers: number; lostPct: number }> {
  const marker = chirp();
  const markers = Math.floor((seconds * 1000) / MARKER_EVERY_MS);
  const markerAt = (i: number): number => (LEAD_IN_MS + i * MARKER_EVERY_MS) * SAMPLES_PER_MS;
  const signal = noise(LEAD_IN_MS / 1000 + (markers * MARKER_EVERY_MS) / 1000 + 0.5, 0.003, 7);
  for (let i = 0; i < markers; i++) for (let k = 0; k < marker.length; k++) signal[markerAt(i) + k]! += marker[k]!;

  const rig = await VoiceRig.start();
  try {
    const output = new TimedOutput(new WavFileSink({ path: `${rig.dir}/listener-hears.wav` }));
    const { client: listener } = await rig.join({ name: 'listener', output });
    const source = new WavFileSource({ path: rig.writeWav('markers', signal) });
    const input = new TimedInput(source);
    const done = ended(source);
    await rig.join({ name: 'talker', input, send: { activation: 'continuous', frameMs } });
    await hears(listener, 'talker');
    await done;
    await sleep(SEARCH_MS + 100);
    const stats = listener.snapshot().peers[0]?.stats;
    const heard = concatSamples(output.blocks);
    const latencies: number[] = [];
    for (let i = 0; i < markers; i++) {
      const inMs = input.times[markerAt(i) / BLOCK_SAMPLES]!;
      const firstBlock = output.times.findIndex((t) => t >= inMs);
      if (firstBlock < 0) continue;
      const found = findMarker(heard, marker, firstBlock * BLOCK_SAMPLES, SEARCH_MS * SAMPLES_PER_MS);
      if (found === undefined) continue;
      const outMs = output.times[Math.floor(found / BLOCK_SAMPLES)]! + (found % BLOCK_SAMPLES) / SAMPLES_PER_MS;
      latencies.push(outMs - inMs);
    }
    return { latencies, markers, lostPct: stats?.lostPct ?? 100 };
  } finally {
    await rig.close();
  }
}

/** Where `marker` starts in `heard`, searching `span` samples from `from`: coarse steps, then sample by sample. */
function findMarker(heard: Float32Array, marker: Float32Array, from: number, span: number): number | undefined {
  const COARSE = 4;
  let best = { at: from, score: -1 };
  for (let at = from; at < from + span; at += COARSE) {
    const score = correlationAt(heard, marker, at);
    if (score > best.score) best = { at, score };
  }
  for (let at = best.at - COARSE; at <= best.at + COARSE; at++) {
    const score = correlationAt(heard, marker, at);
    if (score > best.score) best = { at, score };
  }
  return best.score >= FOUND_ABOVE ? best.at : undefined;
}
