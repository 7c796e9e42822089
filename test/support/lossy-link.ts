import { BLOCK_MS, BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { FirstReport } from '../../electron/net/first-report.js';
import { OpusFrameDecoder } from '../../electron/engine/receive/opus-frame-decoder.js';
import { PeerReceiver } from '../../electron/engine/receive/peer-receiver.js';
import type { PeerReceiveStats } from '../../electron/engine/receive/receive-stats.js';
import { DEFAULT_SEND_SETTINGS, SendPipeline, type SendPipelineSettings } from '../../electron/engine/send/send-pipeline.js';
import { decodeRed } from '../../server/protocol/red.js';
import { RED_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { intervalLossPermille, LOSS_UNKNOWN } from '../../server/protocol/session-messages.js';
import { ManualClock } from '../../server/shared/clock.js';
import { seededRandom } from './prng.js';

/** Why a frame that did not arrive stayed unrecovered, judged from what the talker sent. */
export type UnrecoveredCause =
  /** The packet after it carried no copy because RED was off. */
  | 'redOff'
  /** RED was on, but the packet after it left the copy out: more than twice its own size (a loud frame before a quiet one). */
  | 'copyTooLarge'
  /** Nothing after it could carry a copy: it was the last frame before a pause (DTX) or the end of the talkspurt. */
  | 'lastBeforePause'
  /** Every packet that carried a copy of it was lost too. (A listener losing more than these counts lost copies that arrived.) */
  | 'copiesLost';

export interface LossyLinkOptions {
  speech: Float32Array;
  lossPct: number;
  seed: number;
  /** One-way delay of every packet, ms... */
  networkMs?: number;
  /** ...plus uniform jitter of ± this (seeded apart from the loss, so both keep their sequence). */
  jitterMs?: number;
  /** When the talker gets its first loss report, ms after the speech starts; then every `reportEveryMs`. */
  firstReportMs?: number;
  reportEveryMs?: number;
  /** Whether the talker's session asks for an early first report (electron/net/first-report.ts), as the app's does; it comes back one round trip later. */
  earlyFirstReport?: boolean;
  send?: Partial<SendPipelineSettings>;
  /** Called once the pipeline exists, before any audio: the place to tell it what an earlier call learnt. */
  prepare?: (pipeline: SendPipeline) => void;
  /** Called after every playout tick with the listener's stats. */
  onTick?: (nowMs: number, stats: PeerReceiveStats) => void;
}

export interface FrameFate {
  /** When the frame's packet was sent, ms after the speech started. */
  sentMs: number;
  dropped: boolean;
  /** For a dropped frame that no copy could bring back: why. */
  cause: UnrecoveredCause | undefined;
}

export interface LossyLinkResult {
  frames: FrameFate[];
  lost: number;
  recoveredByRed: number;
  /** End-of-talkspurt markers the network dropped: the listener counts each as a lost frame, not knowing it carried no audio. */
  endMarkersDropped: number;
  /** When RED first went on at the talker, ms; undefined if never. */
  redOnAtMs: number | undefined;
  /** When the talker first sent two copies per packet, ms; undefined if never. */
  redDepth2AtMs: number | undefined;
  /** The listener's target delay at the end. */
  targetDelayMs: number;
}

interface Sent {
  sentMs: number;
  sequence: number;
  timestamp: number;
  marker: boolean;
  audio: boolean;
  /** Timestamps of the frames this packet's RED copies carry. */
  copies: number[];
  /** Whether the talker's RED was on as it sent this. */
  redActive: boolean;
  dropped: boolean;
}

/**
 * A talker's real send path and a listener's real receive path on one
 * simulated clock, with seeded random loss between them and loss reports
 * reaching the talker as the relay's pongs do: every two seconds, each the
 * loss of the interval just ended. Deterministic, and much faster than real
 * time; every frame's fate is known on both sides.
 */
export async function runLossyLink(options: LossyLinkOptions): Promise<LossyLinkResult> {
  const clock = new ManualClock(0);
  const pipeline = new SendPipeline({ ...DEFAULT_SEND_SETTINGS, activation: 'continuous', ...options.send, clock, rtpStart: { sequence: 1000, timestamp: 5000 } });
  const receiver = new PeerReceiver(await OpusFrameDecoder.create());
  options.prepare?.(pipeline);
  const random = seededRandom(options.seed);
  const jitterRandom = seededRandom(options.seed + 1);
  const networkMs = options.networkMs ?? 30;
  const jitterMs = options.jitterMs ?? 0;
  const reportEveryMs = options.reportEveryMs ?? 2000;
  let nextReportMs = options.firstReportMs ?? reportEveryMs;
  const firstReport = new FirstReport();
  /** An early report on its way back: its loss, and when it reaches the talker. */
  let early: { permille: number; atMs: number } | undefined;
  const sent: Sent[] = [];
  const inFlight: { dueMs: number; packet: Parameters<PeerReceiver['insert']>[0] }[] = [];
  const interval = { expected: 0, received: 0 };
  let redOnAtMs: number | undefined;
  let redDepth2AtMs: number | undefined;
  const ticks = Math.floor(options.speech.length / BLOCK_SAMPLES);
  try {
    for (let tick = 0; tick < ticks + 100; tick++) {
      const nowMs = tick * BLOCK_MS;
      clock.set(nowMs);
      if (nowMs >= nextReportMs) {
        pipeline.onLinkReport({ uplinkLossPermille: takeIntervalLoss(), downlinkLossPermille: LOSS_UNKNOWN });
        nextReportMs += reportEveryMs;
      }
      if (early && nowMs >= early.atMs) {
        pipeline.onLinkReport({ uplinkLossPermille: early.permille, downlinkLossPermille: LOSS_UNKNOWN });
        early = undefined;
      }
      if (redOnAtMs === undefined && pipeline.redActive) redOnAtMs = nowMs;
      if (redDepth2AtMs === undefined && pipeline.redDepth === 2) redDepth2AtMs = nowMs;
      const block = tick < ticks ? options.speech.slice(tick * BLOCK_SAMPLES, (tick + 1) * BLOCK_SAMPLES) : new Float32Array(BLOCK_SAMPLES);
      for (const packet of pipeline.push(block)) {
        const dropped = random() * 100 < options.lossPct;
        interval.expected++;
        if (!dropped) interval.received++;
        if (options.earlyFirstReport && firstReport.counted()) early = { permille: takeIntervalLoss(), atMs: nowMs + 2 * networkMs };
        sent.push({ sentMs: nowMs, sequence: packet.sequence, timestamp: packet.timestamp, marker: packet.marker, audio: carriesAudio(packet), copies: copiesIn(packet), redActive: pipeline.redActive, dropped });
        const arrivalMs = nowMs + networkMs + jitterMs * (jitterRandom() * 2 - 1);
        if (!dropped) {
          inFlight.push({
            dueMs: arrivalMs,
            packet: { index: packet.sequence, timestamp: packet.timestamp, marker: packet.marker, payloadType: packet.payloadType, payload: packet.payload.slice(), arrivalMs },
          });
          inFlight.sort((a, b) => a.dueMs - b.dueMs);
        }
      }
      while (inFlight.length > 0 && inFlight[0]!.dueMs <= nowMs) receiver.insert(inFlight.shift()!.packet);
      receiver.pull(nowMs);
      options.onTick?.(nowMs, receiver.stats());
    }
    const stats = receiver.stats();
    const endMarkersDropped = sent.filter((packet) => !packet.audio && packet.dropped).length;
    return { frames: fates(sent), lost: stats.lost, recoveredByRed: stats.recoveredByRed, endMarkersDropped, redOnAtMs, redDepth2AtMs, targetDelayMs: stats.targetDelayMs };
  } finally {
    receiver.close();
    pipeline.close();
  }

  /** The loss since the last ping, as the relay measures it when one arrives; a ping starts the next interval. */
  function takeIntervalLoss(): number {
    const permille = intervalLossPermille(interval.expected, interval.received);
    interval.expected = interval.received = 0;
    firstReport.pinged();
    return permille;
  }

  function carriesAudio(packet: { payloadType: number; payload: Uint8Array }): boolean {
    return (packet.payloadType === RED_PAYLOAD_TYPE ? decodeRed(packet.payload).primary.data : packet.payload).length > 0;
  }

  function copiesIn(packet: { payloadType: number; payload: Uint8Array; timestamp: number }): number[] {
    if (packet.payloadType !== RED_PAYLOAD_TYPE) return [];
    return decodeRed(packet.payload).redundant.map((block) => packet.timestamp - block.timestampOffset);
  }
}

/** Each audio frame's fate, and for a dropped one no copy could bring back, the reason. */
function fates(sent: readonly Sent[]): FrameFate[] {
  const copiesOf = new Map<number, Sent[]>();
  for (const packet of sent) for (const ts of packet.copies) copiesOf.set(ts, [...(copiesOf.get(ts) ?? []), packet]);
  return sent
    .filter((packet) => packet.audio)
    .map((packet, index, audio) => {
      if (!packet.dropped) return { sentMs: packet.sentMs, dropped: false, cause: undefined };
      const carriers = copiesOf.get(packet.timestamp) ?? [];
      const next = audio[index + 1];
      let cause: UnrecoveredCause | undefined;
      if (carriers.length === 0) cause = next === undefined || next.marker ? 'lastBeforePause' : next.redActive ? 'copyTooLarge' : 'redOff';
      else if (carriers.every((carrier) => carrier.dropped)) cause = 'copiesLost';
      return { sentMs: packet.sentMs, dropped: true, cause };
    });
}
