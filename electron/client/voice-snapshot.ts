import { LOSS_UNKNOWN } from '../../server/protocol/session-messages.js';
import { SILENCE_DB } from '../engine/dsp/decibels.js';
import type { PeerReceiveStats } from '../engine/receive/receive-stats.js';
import type { CaptureProcessingStats } from '../engine/send/processing/capture-processor.js';
import type { PeerInfo } from '../net/roster.js';
import type { LinkReport, SessionStatus } from '../net/session.js';

export interface SelfSnapshot {
  id: number;
  name: string;
  muted: boolean;
  deafened: boolean;
  talking: boolean;
  inputLevelDb: number;
  redundancy: boolean;
  /** Which way our datagrams go: UDP, or TCP when the network blocks UDP. */
  transport: 'udp' | 'tcp';
  uplinkKbps: number;
  rttMs: number | null;
  uplinkLossPct: number | null;
  /** Echo cancellation, noise suppression and automatic gain as they act now; null without capture processing. */
  processing: CaptureProcessingStats | null;
}

export interface PeerSnapshot {
  id: number;
  name: string;
  /** As the peer reports itself to the room. */
  muted: boolean;
  deafened: boolean;
  /** Their audio is playing here now (from our receive path, not their claim). */
  talking: boolean;
  levelDb: number;
  volume: number;
  localMuted: boolean;
  /** Their media arriving here, payload kbit/s over the last 3 s. */
  downlinkKbps: number;
  /** null until the peer's decoder has started. */
  stats: PeerReceiveStats | null;
}

export interface VoiceSnapshot {
  status: SessionStatus;
  encrypted: boolean;
  self: SelfSnapshot;
  peers: PeerSnapshot[];
}

/** What a voice client knows at one moment, read off its parts: the snapshot's only input. */
export interface VoiceState {
  status: SessionStatus;
  encrypted: boolean;
  self: Omit<SelfSnapshot, 'rttMs' | 'uplinkLossPct'> & { rttMs: number | undefined; link: LinkReport | undefined };
  peers: {
    info: PeerInfo;
    /** Undefined until the peer's decoder has started. */
    stats: PeerReceiveStats | undefined;
    volume: number;
    localMuted: boolean;
    downlinkKbps: number;
  }[];
}

/** The snapshot of a voice client's state: a pure function, so what the window and the CLI show is tested without a call. */
export function voiceSnapshot(state: VoiceState): VoiceSnapshot {
  const { link, rttMs, ...self } = state.self;
  const uplinkLossPct = link && link.uplinkLossPermille !== LOSS_UNKNOWN ? link.uplinkLossPermille / 10 : null;
  return {
    status: state.status,
    encrypted: state.encrypted,
    self: { ...self, rttMs: rttMs ?? null, uplinkLossPct },
    peers: state.peers.map(({ info, stats, volume, localMuted, downlinkKbps }) => ({
      id: info.id,
      name: info.name,
      muted: info.flags.muted,
      deafened: info.flags.deafened,
      talking: stats?.talking ?? false,
      levelDb: stats?.level ?? SILENCE_DB,
      volume,
      localMuted,
      downlinkKbps,
      stats: stats ?? null,
    })),
  };
}
