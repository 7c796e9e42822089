import type { PeerReceiveStats } from '../engine/receive/receive-stats.js';
import type { SessionStatus } from '../net/session.js';

export interface SelfSnapshot {
  id: number;
  name: string;
  muted: boolean;
  deafened: boolean;
  talking: boolean;
  inputLevelDb: number;
  redundancy: boolean;
  uplinkKbps: number;
  rttMs: number | null;
  uplinkLossPct: number | null;
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
