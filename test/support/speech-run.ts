import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import type { FrameMs } from '../../electron/engine/audio-format.js';
import type { VoiceClient } from '../../electron/client/voice-client.js';
import type { PeerReceiveStats } from '../../electron/engine/receive/receive-stats.js';
import type { RedMode } from '../../electron/engine/send/red-policy.js';
import type { SendStats } from '../../electron/engine/send/send-pipeline.js';
import { isRtp } from '../../server/protocol/rtp.js';
import { bestAlignment, readWavMono } from '../audio/helpers/signal.js';
import { loadSpeech } from '../engine/send/helpers.js';
import { matchSegments, type SegmentMatch } from './audio-compare.js';
import { HeldInput } from './held-input.js';
import type { Impairment, ProxyCounters, UdpProxy } from './udp-proxy.js';
import { ended, hears, sleep, statsOf, type VoiceRig } from './voice-rig.js';
import { repeated } from './signals.js';

export interface SpeechRunOptions {
  /** Each run gets a room of its own, so runs may share a rig and overlap. */
  room: string;
  seed: number;
  /** What the talker's uplink does to its media (control traffic passes untouched). */
  uplink: Impairment;
  red: RedMode;
  /** The talker starts as if its last call to this relay had ended on a lossy link. */
  expectLoss?: boolean;
  frameMs?: FrameMs;
  /** The speech fixture this many times end to end (6.2 s each). */
  repeats?: number;
  /** The network turns clean this long after the speech starts, if set. */
  calmAfterMs?: number;
  /** Kept playing after the speech ends, so the receiver shows how it settles. */
  tailMs?: number;
  /** Length of the segments compared (default 100 ms: about one word-part, so a lost frame shows). */
  segmentMs?: number;
  /** Called with the listener's stats for the talker every `sampleEveryMs` (default 100). */
  onSample?: (stats: PeerReceiveStats, elapsedMs: number) => void;
  sampleEveryMs?: number;
}

export interface SpeechRunResult {
  /**
   * A figure for benchmarks on a quiet machine, not a test outcome: it depends on the machine's timing. The run shares one
   * event loop with the relay, the proxies and any other run; the runs do their heavy work (writing and decoding WAV files,
   * joining, scoring) before and after all of them stream, but a loaded machine still stalls the loop (see `loopStallMs`),
   * and a stall of a few hundred ms reaches the receiver as a burst of packets: it rightly raises its delay to cover the
   * burst and compresses it away over the next seconds, and the segments it shifted beyond the ±40 ms searched around the
   * one global alignment score near 0, whatever they sound like.
   */
  match: SegmentMatch;
  /** What the listener heard, what was said, and where the one sits in the other. */
  heard: Float32Array;
  said: Float32Array;
  lag: number;
  /** The listener's receive stats for the talker at the end. */
  stats: PeerReceiveStats;
  /** What the proxy did to the talker's media on its way to the relay. */
  network: ProxyCounters;
  /** Distinct RTP packets the talker sent. */
  mediaSent: number;
  /** The talker's send counters at the end (RED copies among them). */
  sent: SendStats;
  /** The longest the shared event loop ran late while the runs carried together streamed: how far to trust `match`. */
  loopStallMs: number;
}

/** Silence the talker's microphone plays before the speech; `onSample`'s elapsed time includes it. */
export const LEAD_IN_MS = 500;

/** A run ready to stream: its speech written and decoded, its listener and talker in the room, the talker held silent. */
interface ReadyRun {
  options: SpeechRunOptions;
  speech: Float32Array;
  source: WavFileSource;
  input: HeldInput;
  listener: VoiceClient;
  talker: VoiceClient;
  proxy: UdpProxy;
  heardPath: string;
}

/** What a run leaves once it has streamed: the recording is complete on disk, not yet read or scored. */
interface StreamedRun {
  ready: ReadyRun;
  stats: PeerReceiveStats;
}

/**
 * Speech from a talker behind a seeded impairment proxy, through the relay,
 * into a listener's WAV "speaker"; then what was heard, aligned with what
 * was said and compared segment by segment. Continuous transmission, so the
 * stream is one talkspurt and every gap is the network's doing.
 */
export async function carrySpeech(rig: VoiceRig, options: SpeechRunOptions): Promise<SpeechRunResult> {
  const [result] = await carrySpeechTogether(rig, [options]);
  return result!;
}

/**
 * Several speech runs (each in its own room) streaming at the same time, in
 * three phases so that no run's heavy synchronous work stalls the event loop
 * another run streams on: every run is prepared and joined first, then all
 * stream at once, and only when all have ended is any recording read and scored.
 */
export async function carrySpeechTogether<const Runs extends readonly SpeechRunOptions[]>(rig: VoiceRig, runs: Runs): Promise<ResultsOf<Runs>> {
  const ready: ReadyRun[] = [];
  for (const options of runs) ready.push(await prepareRun(rig, options));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let streamed: StreamedRun[];
  try {
    streamed = await Promise.all(ready.map((run) => streamRun(run)));
  } finally {
    loop.disable();
  }
  const loopStallMs = loop.max / 1e6;
  // map() keeps the length and order, which the tuple type states.
  return streamed.map((run) => scoreRun(run, loopStallMs)) as ResultsOf<Runs>;
}

/** One result per run, in the runs' order: a tuple for a tuple of runs. */
type ResultsOf<Runs extends readonly SpeechRunOptions[]> = { -readonly [Index in keyof Runs]: SpeechRunResult };

/** Writes and decodes the run's speech, then joins its listener and its talker, whose microphone stays held. */
async function prepareRun(rig: VoiceRig, options: SpeechRunOptions): Promise<ReadyRun> {
  const speech = repeated(loadSpeech(), options.repeats ?? 1);
  const source = new WavFileSource({ path: rig.writeWav(`${options.room}-speech`, speech), leadingSilenceMs: LEAD_IN_MS });
  await source.prepare();
  const heardPath = join(rig.dir, `${options.room}-heard.wav`);
  const { client: listener } = await rig.join({ name: 'listener', room: options.room, output: new WavFileSink({ path: heardPath }) });
  const input = new HeldInput(source);
  const { client: talker, proxy } = await rig.join({
    name: 'talker',
    room: options.room,
    input,
    send: { activation: 'continuous', red: options.red, frameMs: options.frameMs ?? 20 },
    expectLoss: options.expectLoss,
    network: { seed: options.seed, toRelay: { ...options.uplink, mediaOnly: true } },
  });
  return { options, speech, source, input, listener, talker, proxy: proxy!, heardPath };
}

/** Plays the speech to its end (and the tail), sampling the listener's stats; then the listener leaves, which completes its recording. */
async function streamRun(run: ReadyRun): Promise<StreamedRun> {
  const { options, listener, proxy } = run;
  const done = ended(run.source);
  proxy.record = true;
  const startedAt = performance.now();
  await run.input.release();
  await hears(listener, 'talker');
  const calm = options.calmAfterMs === undefined ? undefined : setTimeout(() => proxy.setImpairment('toRelay', { mediaOnly: true }), LEAD_IN_MS + options.calmAfterMs);
  const sampler = setInterval(() => {
    const stats = statsOf(listener, 'talker');
    if (stats) options.onSample?.(stats, performance.now() - startedAt);
  }, options.sampleEveryMs ?? 100);
  try {
    await done;
    await sleep(options.tailMs ?? 600);
  } finally {
    clearInterval(sampler);
    clearTimeout(calm);
  }
  const stats = statsOf(listener, 'talker')!;
  await listener.leave();
  return { ready: run, stats };
}

/** Reads what the listener heard, finds the speech in it and compares the two segment by segment. */
function scoreRun({ ready, stats }: StreamedRun, loopStallMs: number): SpeechRunResult {
  const heard = readWavMono(ready.heardPath).samples;
  const { lag } = bestAlignment(heard, ready.speech);
  return {
    match: matchSegments(heard, ready.speech, lag, { segmentMs: ready.options.segmentMs ?? 100 }),
    heard,
    said: ready.speech,
    lag,
    stats,
    network: { ...ready.proxy.counters.toRelay },
    mediaSent: countDistinctMedia(ready.proxy.recorded.toRelay),
    sent: ready.talker.sendStats,
    loopStallMs,
  };
}

/** RTP datagrams among those recorded, each counted once (recording happens before any duplication). */
function countDistinctMedia(datagrams: readonly Buffer[]): number {
  return datagrams.filter((datagram) => isRtp(datagram)).length;
}
