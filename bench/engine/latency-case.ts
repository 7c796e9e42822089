import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import type { FrameMs } from '../../electron/engine/audio-format.js';
import { ended, hears, sleep, VoiceRig } from '../../test/support/voice-rig.js';
import { concatSamples } from '../../test/support/signals.js';
import { TimedInput, TimedOutput } from './edge-taps.js';
import { markedSignal, markerLatencies, SEARCH_MS } from './marker-latency.js';
import { quantile, round } from './stats.js';

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
  const { signal, marker, starts } = markedSignal(seconds);
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
    const edges = { inputTimes: input.times, outputTimes: output.times, heard: concatSamples(output.blocks) };
    return { latencies: markerLatencies(edges, marker, starts), markers: starts.length, lostPct: stats?.lostPct ?? 100 };
  } finally {
    await rig.close();
  }
}
