import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JoinError } from '../../electron/net/join-error.js';
import { MoveExchange } from '../../electron/net/move-exchange.js';
import type { Move, SessionMessage } from '../../server/protocol/session-messages.js';

const move = (moveId: number): Move => ({ kind: 'move', moveId, room: 'Attic', roomPublicKey: new Uint8Array(32), mediaSalt: new Uint8Array(16), hidden: false, roomProof: new Uint8Array(64) });

describe('MoveExchange', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the MOVE again every retry until its own MOVED arrives, and ignores answers to other moves', async () => {
    const sent: SessionMessage[] = [];
    const exchange = new MoveExchange((m) => sent.push(m), { retryMs: 400, deadlineMs: 5_000 });
    const outcome = exchange.request(move(7));
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1_199);
    expect(sent).toHaveLength(3);
    expect(exchange.onMoved({ kind: 'moved', moveId: 6, result: 'ok', roomSecret: '' }, 40)).toBe(false);
    expect(exchange.onMoved({ kind: 'moved', moveId: 7, result: 'roomFull', roomSecret: '' }, 41)).toBe(true);
    await expect(outcome).resolves.toEqual({ reply: { kind: 'moved', moveId: 7, result: 'roomFull', roomSecret: '' }, counter: 41 });
    vi.advanceTimersByTime(5_000);
    expect(sent).toHaveLength(3);
    expect(exchange.moving).toBe(false);
  });

  it('gives up at the deadline, refuses a second move while one is under way, and fails the one under way when cancelled', async () => {
    const exchange = new MoveExchange(() => {}, { retryMs: 400, deadlineMs: 2_000 });
    const first = exchange.request(move(1));
    await expect(exchange.request(move(2))).rejects.toMatchObject({ code: 'busy' });
    vi.advanceTimersByTime(2_000);
    await expect(first).rejects.toMatchObject({ code: 'unreachable' });
    const second = exchange.request(move(3));
    exchange.cancel(new JoinError('aborted'));
    await expect(second).rejects.toMatchObject({ code: 'aborted' });
  });

  it('numbers moves without repeating, across the 32-bit wrap', () => {
    const exchange = new MoveExchange(() => {});
    const ids = Array.from({ length: 5 }, () => exchange.nextMoveId());
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id <= 0xffffffff)).toBe(true);
  });
});
