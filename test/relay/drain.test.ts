import { describe, expect, it } from 'vitest';
import { performHandshake } from '../../electron/net/handshake.js';
import { JoinError } from '../../electron/net/join-error.js';
import type { ReconnectingStatus } from '../../electron/net/session-types.js';
import { decodeControl } from '../../server/protocol/control.js';
import type { SessionMessage } from '../../server/protocol/session-messages.js';
import { relayHarness } from '../helpers/relay-harness.js';
import { waitFor } from '../helpers/relay.js';
import { ManualTimers } from '../support/manual-timers.js';

const noRetry = { initial: 60_000, max: 60_000 };

describe('draining a relay (RelayHandle.drain)', () => {
  const harness = relayHarness();

  it('tells each member, who leaves at once; refuses new joins as draining; reports not ready; closes once empty', async () => {
    const relay = await harness.relay({ metricsPort: 0 });
    const ana = await harness.join(relay, { room: 'lobby', name: 'Ana', reconnectDelaysMs: noRetry });
    const bo = await harness.join(relay, { room: 'lobby', name: 'Bo', reconnectDelaysMs: noRetry });
    const statuses: ReconnectingStatus[] = [];
    for (const session of [ana, bo]) session.on('status', (status) => status.state === 'reconnecting' && statuses.push(status));
    const probe = async (path: string): Promise<[number, unknown]> => {
      const response = await fetch(`http://127.0.0.1:${relay.metricsPort}${path}`);
      return [response.status, await response.json()];
    };
    expect(await probe('/readyz')).toEqual([200, { status: 'ok', lagMs: expect.any(Number) as number, draining: false, members: 2 }]);

    const drained = relay.drain(30_000);
    expect(relay.health()).toMatchObject({ live: true, ready: false, draining: true });
    const [readyStatus] = await probe('/readyz');
    const [liveStatus, live] = await probe('/healthz');
    expect(readyStatus).toBe(503);
    // Still live: a liveness probe failing now would cut the members off mid-drain.
    expect(liveStatus).toBe(200);
    expect(live).toMatchObject({ status: 'ok', draining: true });
    await expect(harness.join(relay, { room: 'lobby', name: 'Cy' })).rejects.toSatisfy(
      (error: unknown) => error instanceof JoinError && error.code === 'draining' && !error.permanent && error.message === 'The relay is restarting or moving and takes no one new; Parley keeps trying.',
    );

    expect(await drained).toEqual({ ended: 'empty', membersLeft: 0, tookMs: expect.any(Number) as number });
    expect(statuses.map((s) => s.reason)).toEqual(['relayRestarting', 'relayRestarting']);
    expect(relay.stats()).toMatchObject({ members: 0, leaves: 2, timeouts: 0, refused: { draining: 1 } });
    // Closed: the metrics port is released.
    await expect(fetch(`http://127.0.0.1:${relay.metricsPort}/healthz`)).rejects.toThrow();
  });

  it('serves a member that does not leave (an older client) until the deadline, on a simulated clock, then says it stopped', async () => {
    const timers = new ManualTimers();
    const relay = await harness.relay({ timers });
    const transport = await harness.transport(relay);
    const joined = await performHandshake(transport, { room: 'lobby', name: 'Old', mediaSalt: new Uint8Array(16), flags: 0 });
    const heard: SessionMessage[] = [];
    transport.onDatagram((datagram) => {
      const message = decodeControl(datagram);
      if (message.type === 'sealed') heard.push(joined.receiver.open(message));
    });
    await waitFor('roster and chat ready', () => heard.length === 2);

    let outcome: unknown;
    void relay.drain(10_000).then((value) => (outcome = value));
    await waitFor('draining bye', () => heard.some((m) => m.kind === 'bye'));
    expect(heard.at(-1)).toEqual({ kind: 'bye', reason: 'draining' });
    // Still a member, still answered.
    transport.send(joined.sender.seal({ kind: 'ping', pingId: 7, reports: [] }));
    await waitFor('pong', () => heard.some((m) => m.kind === 'pong'));
    await timers.advance(9_900);
    expect(outcome).toBeUndefined();
    expect(relay.stats().members).toBe(1);

    await timers.advance(100);
    await waitFor('drain ended', () => outcome);
    expect(outcome).toEqual({ ended: 'deadline', membersLeft: 1, tookMs: 10_000 });
    await waitFor('shutdown bye', () => heard.at(-1)?.kind === 'bye' && heard.at(-1));
    expect(heard.filter((m) => m.kind === 'bye')).toEqual([
      { kind: 'bye', reason: 'draining' },
      { kind: 'bye', reason: 'relayShutdown' },
    ]);
  });

  it('is one drain however often it is asked for, and an empty relay closes at once', async () => {
    const relay = await harness.relay();
    const first = relay.drain(5_000);
    expect(relay.drain(1)).toBe(first);
    expect(await first).toEqual({ ended: 'empty', membersLeft: 0, tookMs: 0 });
  });
});
