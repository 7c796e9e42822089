import { once } from 'node:events';
import pino, { type Logger } from 'pino';
import { startRelay, type RelayHandle, type RelayOptions } from '../../server/index.js';
import { RelaySession, type MediaArrival, type SessionOptions } from '../../electron/net/session.js';
import type { PeerInfo } from '../../electron/net/roster.js';

export async function relayOnLoopback(options: RelayOptions = {}): Promise<RelayHandle> {
  return startRelay({ host: '127.0.0.1', port: 0, ...options });
}

/** A UDP port that was free a moment ago (the OS reuses TCP and UDP numbers independently, so ask UDP). */
export async function freeUdpPort(): Promise<number> {
  const probe = await startRelay({ host: '127.0.0.1', port: 0 });
  const port = probe.address.port;
  await probe.close();
  return port;
}

export async function joinRelay(relay: RelayHandle, options: Omit<SessionOptions, 'relay'>): Promise<RelaySession> {
  return RelaySession.connect({ relay: { host: '127.0.0.1', port: relay.address.port }, ...options });
}

/** Resolves once `predicate` holds, re-checking on each event; rejects after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5_000, pollMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A check may ask something first (a relay's workers, say): it is awaited, never taken as a truthy promise.
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export function peerNames(session: RelaySession): string[] {
  return session.peers.map((peer: PeerInfo) => peer.name).sort();
}

/** Collects every media arrival a session emits. */
export function collectMedia(session: RelaySession): MediaArrival[] {
  const arrivals: MediaArrival[] = [];
  session.on('media', (arrival) => arrivals.push(arrival));
  return arrivals;
}

export async function nextStatus(session: RelaySession, state: string): Promise<void> {
  for (;;) {
    const [status] = (await once(session, 'status')) as [{ state: string }];
    if (status.state === state) return;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger at `info` whose lines the test reads back, parsed. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const write = (chunk: string): void => {
    for (const line of chunk.split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  };
  return { logger: pino({ level: 'info' }, { write }), lines };
}
