import { randomBytes } from '../../server/protocol/crypto.js';
import type { Move, Moved, SessionMessage } from '../../server/protocol/session-messages.js';
import { JoinError } from './join-error.js';

export interface MoveTiming {
  /** How long to wait for MOVED before sending the MOVE again. */
  retryMs: number;
  /** When to give up. */
  deadlineMs: number;
}

export const DEFAULT_MOVE_TIMING: MoveTiming = { retryMs: 400, deadlineMs: 5_000 };

/** The relay's answer, and the sealed counter it came under (what was sealed before it belongs to the old room). */
export interface MoveOutcome {
  reply: Moved;
  counter: number;
}

interface Pending {
  moveId: number;
  resolve: (outcome: MoveOutcome) => void;
  reject: (error: Error) => void;
  retry: NodeJS.Timeout;
  deadline: NodeJS.Timeout;
}

/**
 * One MOVE at a time, sent again until its MOVED arrives: sealed messages
 * can be lost like any datagram, and the relay answers a repeated move id
 * with the answer it gave before, so retrying never moves twice.
 */
export class MoveExchange {
  private pending: Pending | undefined;
  private lastId = randomBytes(4).readUInt32BE(0);

  constructor(
    private readonly send: (message: SessionMessage) => void,
    private readonly timing: MoveTiming = DEFAULT_MOVE_TIMING,
  ) {}

  get moving(): boolean {
    return this.pending !== undefined;
  }

  /** A move id this session has not used. */
  nextMoveId(): number {
    this.lastId = (this.lastId + 1) >>> 0;
    return this.lastId;
  }

  request(move: Move): Promise<MoveOutcome> {
    if (this.pending) return Promise.reject(new JoinError('busy', 'a move is already under way'));
    return new Promise((resolve, reject) => {
      const retry = setInterval(() => this.send(move), this.timing.retryMs);
      const deadline = setTimeout(() => this.settle(() => reject(new JoinError('unreachable', 'the relay did not answer the move'))), this.timing.deadlineMs);
      retry.unref();
      deadline.unref();
      this.pending = { moveId: move.moveId, resolve, reject, retry, deadline };
      this.send(move);
    });
  }

  /** True when the MOVED answered our move (a stale copy of an earlier answer is not ours). */
  onMoved(reply: Moved, counter: number): boolean {
    const pending = this.pending;
    if (!pending || pending.moveId !== reply.moveId) return false;
    this.settle(() => pending.resolve({ reply, counter }));
    return true;
  }

  /** The session ended or was lost: a move under way fails. */
  cancel(error: Error): void {
    const pending = this.pending;
    if (pending) this.settle(() => pending.reject(error));
  }

  private settle(outcome: () => void): void {
    const pending = this.pending;
    if (!pending) return;
    clearInterval(pending.retry);
    clearTimeout(pending.deadline);
    this.pending = undefined;
    outcome();
  }
}
