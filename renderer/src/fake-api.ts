/**
 * A ParleyApi for the view tests and the design preview: it records every
 * call and pushes whatever snapshot or levels it is given. It has no
 * behaviour of its own; the real API is the main process's controller.
 */
import { API_METHODS } from '../../electron/api/contract.js';
import { answersWithResult } from './app/guard-api.js';
import type { ActionResult, ApiMethod, AppSnapshot, LiveLevels, ParleyActions, ParleyApi } from '../../electron/api/contract.js';

export interface RecordedCall {
  method: ApiMethod;
  args: unknown[];
}

/** Answers a call; return undefined for the default answer (ok, or nothing). */
export type Responder = (call: RecordedCall, fake: FakeApi) => unknown;

export class FakeApi {
  readonly calls: RecordedCall[] = [];
  readonly api: ParleyApi;
  private current: AppSnapshot;
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  private readonly levelListeners = new Set<(levels: LiveLevels) => void>();
  private readonly responders = new Map<ApiMethod, Responder>();

  constructor(initial: AppSnapshot) {
    this.current = initial;
    const methods: Record<string, unknown> = {
      onSnapshot: (listener: (snapshot: AppSnapshot) => void) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      onLevels: (listener: (levels: LiveLevels) => void) => {
        this.levelListeners.add(listener);
        return () => this.levelListeners.delete(listener);
      },
    };
    for (const method of API_METHODS) {
      methods[method] = (...args: unknown[]) => this.answer({ method, args });
    }
    this.api = methods as unknown as ParleyApi;
  }

  get snapshot(): AppSnapshot {
    return this.current;
  }

  /** Sends a snapshot to every listener, as the main process does after a change. */
  push(snapshot: AppSnapshot): void {
    this.current = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }

  /** Sends live levels to every listener, as the main process does between snapshots. */
  pushLevels(levels: LiveLevels): void {
    for (const listener of this.levelListeners) listener(levels);
  }

  /** Pushes the current snapshot changed by `change`, with the next revision. */
  update(change: (snapshot: AppSnapshot) => AppSnapshot): void {
    this.push({ ...change(this.current), revision: this.current.revision + 1 });
  }

  respond<M extends ApiMethod>(method: M, responder: (args: Parameters<ParleyActions[M]>, fake: FakeApi) => Awaited<ReturnType<ParleyActions[M]>> | undefined): void {
    this.responders.set(method, (call, fake) => responder(call.args as Parameters<ParleyActions[M]>, fake));
  }

  /** The calls of one method, without getSnapshot noise. */
  callsTo(method: ApiMethod): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Every call except the getSnapshot the window makes at start. */
  actions(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== 'getSnapshot');
  }

  private answer(call: RecordedCall): Promise<unknown> {
    this.calls.push(call);
    const custom = this.responders.get(call.method)?.(call, this);
    if (custom !== undefined) return Promise.resolve(custom);
    if (call.method === 'getSnapshot') return Promise.resolve(this.current);
    if (answersWithResult(call.method)) return Promise.resolve({ ok: true } satisfies ActionResult);
    return Promise.resolve(undefined);
  }
}
