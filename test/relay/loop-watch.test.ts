import { describe, expect, it } from 'vitest';
import { answerHealthProbe, relayHealth } from '../../server/relay/health.js';
import { EventLoopWatch, LOOP_WATCH_TICK_MS, STALL_MEMORY_MS } from '../../server/relay/loop-watch.js';
import { relayHarness } from '../helpers/relay-harness.js';
import { ManualTimers } from '../support/manual-timers.js';

/** Simulated time in which the loop can be made to stall: the clock moves on while no timer runs. */
class StallingTimers extends ManualTimers {
  private stalledFor = 0;

  override now(): number {
    return super.now() + this.stalledFor;
  }

  stall(ms: number): void {
    this.stalledFor += ms;
  }
}

describe('the event-loop watch', () => {
  it('reports the lag of a late tick, stalled beyond the bound, and forgets it after a while', async () => {
    const timers = new StallingTimers();
    const watch = new EventLoopWatch(2_000, timers);
    watch.start();
    await timers.advance(1_000);
    expect(watch.lag()).toEqual({ lagMs: 0, stalled: false });

    // Blocked for 1.9 s right after a tick, then for 2.5 s: only the second is beyond the bound. Before the
    // late tick runs (a probe served first), the lag seen is how overdue it is; once it runs, how late it ran.
    timers.stall(1_900);
    expect(watch.lag()).toEqual({ lagMs: 1_900 - LOOP_WATCH_TICK_MS, stalled: false });
    await timers.advance(LOOP_WATCH_TICK_MS);
    expect(watch.lag()).toEqual({ lagMs: 1_900, stalled: false });
    timers.stall(2_500);
    expect(watch.lag()).toEqual({ lagMs: 2_500 - LOOP_WATCH_TICK_MS, stalled: true });
    await timers.advance(LOOP_WATCH_TICK_MS);
    expect(watch.lag()).toEqual({ lagMs: 2_500, stalled: true });

    await timers.advance(STALL_MEMORY_MS - LOOP_WATCH_TICK_MS);
    expect(watch.lag()).toEqual({ lagMs: 2_500, stalled: true });
    await timers.advance(2 * LOOP_WATCH_TICK_MS);
    expect(watch.lag()).toEqual({ lagMs: 0, stalled: false });
    watch.stop();
    expect(timers.dueTimes()).toEqual([]);
  });

  it('answers /healthz for liveness and /readyz for readiness, with a short JSON body', () => {
    const calm = { lagMs: 3, stalled: false };
    const stalled = { lagMs: 2_400, stalled: true };
    expect(answerHealthProbe('/healthz', relayHealth(calm, false, 4))).toEqual({ status: 200, body: '{"status":"ok","lagMs":3,"draining":false,"members":4}\n' });
    expect(answerHealthProbe('/readyz', relayHealth(calm, true, 4))).toEqual({ status: 503, body: '{"status":"draining","lagMs":3,"draining":true,"members":4}\n' });
    expect(answerHealthProbe('/healthz', relayHealth(calm, true, 4))?.status).toBe(200);
    expect(answerHealthProbe('/healthz', relayHealth(stalled, false, 0))).toEqual({ status: 503, body: '{"status":"stalled","lagMs":2400,"draining":false,"members":0}\n' });
    expect(answerHealthProbe('/readyz', relayHealth(stalled, true, 0))?.body).toContain('"status":"stalled"');
    expect(answerHealthProbe('/metrics', relayHealth(calm, false, 0))).toBeNull();
  });
});

describe('/healthz on a real relay', () => {
  const harness = relayHarness();

  it('answers 200 while the loop keeps up and 503 after it was blocked beyond the bound', async () => {
    const relay = await harness.relay({ metricsPort: 0, maxLoopLagMs: 150 });
    const get = async (path: string): Promise<[number, string]> => {
      const response = await fetch(`http://127.0.0.1:${relay.metricsPort}${path}`);
      return [response.status, response.headers.get('content-type') ?? ''];
    };
    expect(await get('/healthz')).toEqual([200, 'application/json']);
    // Block this process's event loop, which the relay shares, as a runaway computation would.
    const until = performance.now() + 400;
    while (performance.now() < until);
    const response = await fetch(`http://127.0.0.1:${relay.metricsPort}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'stalled', draining: false, members: 0 });
    expect(relay.health()).toMatchObject({ live: false, ready: false });
    expect((await get('/nowhere'))[0]).toBe(404);
  });
});
