import { JoinError } from './join-error.js';
import type { DisconnectReason, ReconnectingStatus } from './session-types.js';

export interface BackoffDelays {
  /** The wait before the first retry… */
  initial: number;
  /** …doubling on every failure up to this. */
  max: number;
}

export const DEFAULT_RECONNECT_DELAYS: BackoffDelays = { initial: 500, max: 30_000 };

/** Each wait is drawn within ±20 % of its nominal value, so clients a relay restart dropped together do not return together. */
const JITTER = 0.2;

/**
 * The waits between attempts to get back into the room after one loss of
 * the session: exponential backoff with jitter, except that a relay which
 * merely forgot us (UNKNOWN_SESSION, BYE "timed out") is tried again at once.
 */
export class ReconnectBackoff {
  private failures = 0;

  constructor(
    readonly reason: DisconnectReason,
    private readonly delays: BackoffDelays = DEFAULT_RECONNECT_DELAYS,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt, and the status that shows it; `lastError` says why the previous attempt failed. */
  next(lastError?: string): { delayMs: number; status: ReconnectingStatus } {
    const attempt = this.failures++;
    // The relay is there and just forgot us: no reason to wait for the first retry.
    const nominal = attempt === 0 && this.reason === 'sessionExpired' ? 0 : Math.min(this.delays.max, this.delays.initial * 2 ** attempt);
    const delayMs = Math.round(nominal * (1 - JITTER + this.random() * 2 * JITTER));
    return {
      delayMs,
      status: { state: 'reconnecting', reason: this.reason, attempt: attempt + 1, retryInMs: delayMs, ...(lastError ? { lastError } : {}) },
    };
  }
}

export interface ReconnectEvents<T> {
  /** Waiting before the next attempt: the status to show meanwhile. */
  waiting(status: ReconnectingStatus): void;
  /** An attempt succeeded. */
  joined(result: T): void;
  /** An attempt failed for a reason retrying cannot fix: no more attempts. */
  gaveUp(error: JoinError): void;
}

/**
 * Gets a lost session back: waits as the backoff says, tries to join, and
 * after each failure waits longer, until an attempt succeeds, one fails for
 * good, or `stop()` (the user left) abandons the wait or the attempt under way.
 */
export class Reconnector<T> {
  private timer: NodeJS.Timeout | undefined;
  private attempt: AbortController | undefined;
  private stopped = false;

  constructor(
    private readonly backoff: ReconnectBackoff,
    private readonly join: (signal: AbortSignal) => Promise<T>,
    private readonly events: ReconnectEvents<T>,
  ) {}

  start(): void {
    this.waitToRetry(undefined);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.attempt?.abort();
  }

  private waitToRetry(lastError: string | undefined): void {
    const { delayMs, status } = this.backoff.next(lastError);
    this.timer = setTimeout(() => void this.tryOnce(), delayMs);
    this.events.waiting(status);
  }

  private async tryOnce(): Promise<void> {
    if (this.stopped) return;
    const attempt = new AbortController();
    this.attempt = attempt;
    let result: T;
    try {
      result = await this.join(attempt.signal);
    } catch (error) {
      if (this.stopped) return;
      const joinError = error instanceof JoinError ? error : new JoinError('unreachable', String(error));
      if (joinError.permanent) this.events.gaveUp(joinError);
      else this.waitToRetry(joinError.message);
      return;
    }
    // Left while the last step of the join (deriving a handed-over key) could not be interrupted.
    if (!this.stopped) this.events.joined(result);
  }
}
