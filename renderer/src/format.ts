import type { ConnectionView, LinkQuality } from '../../electron/api/contract.js';

/** The level meters show −70..0 dBFS: below that is room noise nobody needs to see move. */
export const METER_FLOOR_DB = -70;

/** Where a level sits on a meter, 0..1. */
export function meterFraction(db: number): number {
  if (!Number.isFinite(db)) return 0;
  const clamped = Math.min(0, Math.max(METER_FLOOR_DB, db));
  return (clamped - METER_FLOOR_DB) / -METER_FLOOR_DB;
}

/** "−23 dB", with a real minus sign so screen readers say "minus". */
export function formatDb(db: number): string {
  const rounded = Math.round(db);
  if (rounded === 0) return '0 dB';
  return rounded < 0 ? `\u2212${-rounded} dB` : `+${rounded} dB`;
}

export function formatMs(ms: number | null): string {
  return ms === null ? 'unknown' : `${Math.round(ms)} ms`;
}

export function formatPct(pct: number | null): string {
  if (pct === null) return 'unknown';
  return `${pct < 10 && pct > 0 ? pct.toFixed(1) : Math.round(pct)} %`;
}

export function formatVolume(volume: number): string {
  return `${Math.round(volume * 100)} %`;
}

export const GRADE_LABEL: Record<LinkQuality['grade'], string> = {
  good: 'Good connection',
  fair: 'Fair connection',
  poor: 'Poor connection',
  unknown: 'Connection quality unknown',
};

export const RECONNECT_REASON: Record<Extract<ConnectionView, { state: 'reconnecting' }>['reason'], string> = {
  connectionLost: 'Connection lost.',
  relayClosed: 'The relay closed the connection.',
  relayRestarting: 'The relay is restarting or moving.',
  sessionExpired: 'The session expired.',
};

/** "3 minutes ago": for the recent servers list. */
export function formatAgo(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 60) return 'just now';
  const units: Array<[number, string]> = [
    [60 * 60 * 24 * 7, 'week'],
    [60 * 60 * 24, 'day'],
    [60 * 60, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${name}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}
