import type { LoopLag } from './loop-watch.js';

/** What the relay says of itself to an orchestrator (Kubernetes probes, Agones health pings). */
export interface RelayHealth {
  /** The event loop kept up: false once it stalled beyond the bound (`maxLoopLagMs`). */
  live: boolean;
  /** Live and not draining: it admits new members. */
  ready: boolean;
  draining: boolean;
  lagMs: number;
  members: number;
}

export function relayHealth(lag: LoopLag, draining: boolean, members: number): RelayHealth {
  const live = !lag.stalled;
  return { live, ready: live && !draining, draining, lagMs: lag.lagMs, members };
}

export interface HealthAnswer {
  status: 200 | 503;
  body: string;
}

/**
 * `/healthz` is liveness: 503 only when the loop stalled, since restarting is
 * the cure for that and for nothing else; a draining relay stays live, or its
 * members would be cut off before they leave. `/readyz` is readiness: 503
 * also while draining, so nothing new is sent its way. Null for other paths.
 */
export function answerHealthProbe(path: string, health: RelayHealth): HealthAnswer | null {
  if (path !== '/healthz' && path !== '/readyz') return null;
  const ok = path === '/healthz' ? health.live : health.ready;
  const status = !health.live ? 'stalled' : path === '/readyz' && health.draining ? 'draining' : 'ok';
  const body = JSON.stringify({ status, lagMs: health.lagMs, draining: health.draining, members: health.members });
  return { status: ok ? 200 : 503, body: `${body}\n` };
}
