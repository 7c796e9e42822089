import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JoinError } from '../../electron/net/join-error.js';
import { DEFAULT_RECONNECT_DELAYS, ReconnectBackoff, Reconnector } from '../../electron/net/reconnect.js';
import type { ReconnectingStatus } from '../../electron/net/session-types.js';

const middle = (): number => 0.5;

describe('ReconnectBackoff', () => {
  it('doubles from 0.5 s to 30 s, numbering the attempts and saying why the last one failed', () => {
    const backoff = new ReconnectBackoff('connectionLost', DEFAULT_RECONNECT_DELAYS, middle);
    const waits = Array.from({ length: 9 }, (_, i) => backoff.next(i === 0 ? undefined : `failure ${i}`));
    expect(waits.map((w) => w.delayMs)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(waits[0]!.status).toEqual({ state: 'reconnecting', reason: 'connectionLost', attempt: 1, retryInMs: 500 });
    expect(waits[3]!.status).toEqual({ state: 'reconnecting', reason: 'connectionLost', attempt: 4, retryInMs: 4_000, lastError: 'failure 3' });
  });

  it('retries at once a relay that only forgot us, then backs off as usual', () => {
    const backoff = new ReconnectBackoff('sessionExpired', { initial: 100, max: 1_000 }, middle);
    expect([0, 1, 2, 3, 4, 5].map(() => backoff.next().delayMs)).toEqual([0, 200, 400, 800, 1_000, 1_000]);
  });

  it('spreads each wait within ±20 %', () => {
    expect(new ReconnectBackoff('relayClosed', DEFAULT_RECONNECT_DELAYS, () => 0).next().delayMs).toBe(400);
    expect(new ReconnectBackoff('relayClosed', DEFAULT_RECONNECT_DELAYS, () => 0.999_999).next().delayMs).toBe(600);
  });
});

describe('Reconnector (on simulated timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A reconnector whose joins answer, in turn, with `outcomes` (an Error rejects). */
  function reconnector(outcomes: (string | Error)[]) {
    const log: string[] = [];
    const statuses: ReconnectingStatus[] = [];
    const join = (): Promise<string> => {
      log.push(`join at ${Date.now()}`);
      const outcome = outcomes.shift() ?? new Error('no more outcomes');
      return typeof outcome === 'string' ? Promise.resolve(outcome) : Promise.reject(outcome);
    };
    const unit = new Reconnector(new ReconnectBackoff('relayClosed', { initial: 100, max: 1_000 }, middle), join, {
      waiting: (status) => {
        statuses.push(status);
        log.push(`wait ${status.retryInMs}`);
      },
      joined: (result) => log.push(`joined ${result}`),
      gaveUp: (error) => log.push(`gave up: ${error.code}`),
    });
    return { unit, log, statuses };
  }

  it('waits, tries, and after each failure waits twice as long, until a join succeeds', async () => {
    vi.setSystemTime(0);
    const { unit, log, statuses } = reconnector([new JoinError('unreachable'), new JoinError('busy'), 'link']);
    unit.start();
    await vi.advanceTimersByTimeAsync(99);
    expect(log).toEqual(['wait 100']);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(200);
    await vi.advanceTimersByTimeAsync(400);
    expect(log).toEqual(['wait 100', 'join at 100', 'wait 200', 'join at 300', 'wait 400', 'join at 700', 'joined link']);
    expect(statuses[1]).toMatchObject({ attempt: 2, lastError: new JoinError('unreachable').message });
    expect(statuses[2]).toMatchObject({ attempt: 3, lastError: new JoinError('busy').message });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log).toHaveLength(7);
  });

  it('gives up at the first failure retrying cannot fix', async () => {
    vi.setSystemTime(0);
    const { unit, log } = reconnector([new JoinError('unreachable'), new JoinError('wrongPassword'), 'never']);
    unit.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log).toEqual(['wait 100', 'join at 100', 'wait 200', 'join at 300', 'gave up: wrongPassword']);
  });

  it('takes any other failure for an unreachable relay, and tries again', async () => {
    vi.setSystemTime(0);
    const { unit, statuses } = reconnector([new Error('EHOSTUNREACH'), 'link']);
    unit.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(statuses[1]).toMatchObject({ attempt: 2, lastError: new JoinError('unreachable', 'Error: EHOSTUNREACH').message });
  });

  it('once stopped, never tries, and abandons an attempt under way without a word', async () => {
    vi.setSystemTime(0);
    const waiting = reconnector(['link']);
    waiting.unit.start();
    waiting.unit.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(waiting.log).toEqual(['wait 100']);

    // A join that settles only after the stop: aborted, and neither its success nor its failure reported.
    for (const settle of ['resolve', 'reject'] as const) {
      const log: string[] = [];
      let finish: (() => void) | undefined;
      let signal: AbortSignal | undefined;
      const unit = new Reconnector(
        new ReconnectBackoff('relayClosed', { initial: 100, max: 1_000 }, middle),
        (s) => {
          signal = s;
          return new Promise<string>((resolve, reject) => (finish = () => (settle === 'resolve' ? resolve('late') : reject(new JoinError('aborted')))));
        },
        { waiting: (s) => log.push(`wait ${s.retryInMs}`), joined: () => log.push('joined'), gaveUp: () => log.push('gave up') },
      );
      unit.start();
      await vi.advanceTimersByTimeAsync(100);
      unit.stop();
      expect(signal?.aborted).toBe(true);
      finish!();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(log).toEqual(['wait 100']);
    }
  });
});
