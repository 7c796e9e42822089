import { join } from 'node:path';
import { WavFileSink, WavFileSource } from '../../electron/audio/index.js';
import type { FrameMs } from '../../electron/engine/audio-format.js';
import type { PeerReceiveStats } from '../../electron/engine/receive/receive-stats.js';
import type { RedMode } from '../../electron/engine/send/red-policy.js';
import { isRtp } from '../../server/protocol/rtp.js';
import { bestAlignment, readWavMono } from '../audio/helpers/signal.js';
import { concat, loadSpeech } from '../engine/send/helpers.js';
import { matchSegments, type SegmentMatch } from './audio-compare.js';
import type { Impairment, ProxyCounters } from './udp-proxy.js';
import { ended, hears, sleep, statsOf, type VoiceRig } from './voice-rig.js';

export interface SpeechRunOptions {
  /** Each run gets a room of its own, so runs may share a rig and overlap. */
  room: string;
  seed: number;
  /** What the talker's uplink does to its media (control traffic passes untouched). */
  uplink: Impairment;
  red: RedMode;
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
   * A figure for benchmarks on a quiet machine, not a test outcome: it depends on the machine's timing. The run shares one event loop
   * with the relay, the proxies and any other run, and a stall of a few hundred ms (another run writing or decoding
   * its WAV files, or scoring its recording; a loaded machine) reaches the receiver as a burst of packets: it rightly
   * raises its delay to cover the burst and compresses it away over the next seconds, and the segments it shifted
   * beyond the ±40 ms searched around the one global alignment score near 0, whatever they sound like.
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
}

const LEAD_IN_MS = 500;

/**
 * Speech from a talker behind a seeded impairment proxy, through the relay,
 * into a listener's WAV "speaker"; then what was heard, aligned with what
 * was said and compared segment by segment. Continuous transmission, so the
 * stream is one talkspurt and every gap is the network's doing.
 */
export async function carrySpeech(rig: VoiceRig, options: SpeechRunOptions): Promise<SpeechRunResult> {
  const speech = concat(...Array.from({ length: options.repeats ?? 1 }, () => loadSpeech()));
  const heardPath = join(rig.dir, `${options.room}-heard.wav`);
  const { client: listener } = await rig.join({ name: 'listener', room: options.room, output: new WavFileSink({ path: heardPath }) });
  const source = new WavFileSource({ path: rig.writeWav(`${options.room}-speech`, speech), leadingSilenceMs: LEAD_IN_MS });
  const done = ended(source);
  const { proxy } = await rig.join({
    name: 'talker',
    room: options.room,
    input: source,
    send: { activation: 'continuous', red: options.red, frameMs: options.frameMs ?? 20 },
    network: { seed: options.seed, toRelay: { ...options.uplink, mediaOnly: true } },
  });
  proxy!.record = true;
  const startedAt = performance.now();
  await hears(listener, 'talker');
  const calm =
    options.calmAfterMs === undefined ? undefined : setTimeout(() => proxy!.setImpairment('toRelay', { mediaOnly: true }), LEAD_IN_MS + options.calmAfterMs);
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
  // Leaving completes the recording's header.
  await listener.leave();
  const heard = readWavMono(heardPath).samples;
  const { lag } = bestAlignment(heard, speech);
  return {
    match: matchSegments(heard, speech, lag, { segmentMs: options.segmentMs ?? 100 }),
    heard,
    said: speech,
    lag,
    stats,
    network: { ...proxy!.counters.toRelay },
    mediaSent: countDistinctMedia(proxy!.recorded.toRelay),
  };
}

/** RTP datagrams among those recorded, each counted once (recording happens before any duplication). */
function countDistinctMedia(datagrams: readonly Buffer[]): number {
  return datagrams.filter((datagram) => isRtp(datagram)).length;
}
