import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAgonesSdk } from '../../server/fleet/agones.js';
import { FleetAgent, FleetAgentError, MEMBERS_LABEL } from '../../server/fleet/fleet-agent.js';
import { systemTimers } from '../../server/shared/timers.js';
import { capturedLogger, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';
import { AgonesSdkStandIn } from '../support/agones-sdk-stand-in.js';
import { ManualTimers } from '../support/manual-timers.js';

const options = { healthEveryMs: 2_000, connectTimeoutMs: 3_000 };

describe('the fleet agent, through the real Agones SDK, against a stand-in for its sidecar', () => {
  const harness = relayHarness();
  let standIn: AgonesSdkStandIn;
  const savedPort = process.env.AGONES_SDK_GRPC_PORT;
  beforeEach(async () => {
    standIn = await AgonesSdkStandIn.start();
    process.env.AGONES_SDK_GRPC_PORT = String(standIn.port);
  });
  afterEach(async () => {
    await standIn.close();
    if (savedPort === undefined) delete process.env.AGONES_SDK_GRPC_PORT;
    else process.env.AGONES_SDK_GRPC_PORT = savedPort;
  });

  it('says ready once, pings health every period, labels the member count as it changes, and shuts down after the drain', async () => {
    const relay = await harness.relay();
    const timers = new ManualTimers();
    const { logger } = capturedLogger();
    const agent = await FleetAgent.start(await openAgonesSdk(), relay, timers, logger, options);
    await waitFor('label', () => standIn.of('setLabel').length === 1);
    expect(standIn.of('ready')).toHaveLength(1);
    expect(standIn.calls[0]).toEqual({ method: 'ready' });
    expect(standIn.of('setLabel')).toEqual([{ method: 'setLabel', key: MEMBERS_LABEL, value: '0' }]);
    await waitFor('first health ping', () => standIn.of('health').length === 1);

    await harness.join(relay, { room: 'lobby', name: 'Ana' });
    await harness.join(relay, { room: 'lobby', name: 'Bo' });
    for (let beat = 2; beat <= 4; beat++) {
      await timers.advance(options.healthEveryMs);
      await waitFor(`health ping ${beat}`, () => standIn.of('health').length === beat);
    }
    // One label for the new count, not one per beat.
    expect(standIn.of('setLabel').map((call) => call.value)).toEqual(['0', '2']);

    await relay.drain(5_000);
    await agent.finish();
    expect(standIn.calls.at(-1)).toEqual({ method: 'shutdown' });
    expect(standIn.of('ready')).toHaveLength(1);
    expect(standIn.of('shutdown')).toHaveLength(1);
    // No more pings once finished.
    await timers.advance(10 * options.healthEveryMs);
    expect(timers.dueTimes()).toEqual([]);
    expect(standIn.of('health')).toHaveLength(4);
    expect(standIn.of('other')).toEqual([]);
  });

  it('stops pinging while the relay reports its loop stalled, so Agones sees it as unhealthy', async () => {
    let live = true;
    const relay = { health: () => ({ live, members: 0 }) };
    const timers = new ManualTimers();
    const agent = await FleetAgent.start(await openAgonesSdk(), relay, timers, capturedLogger().logger, options);
    await waitFor('first ping', () => standIn.of('health').length === 1);
    live = false;
    await timers.advance(3 * options.healthEveryMs);
    live = true;
    await timers.advance(options.healthEveryMs);
    await waitFor('ping after recovery', () => standIn.of('health').length === 2);
    await agent.finish();
    expect(standIn.of('health')).toHaveLength(2);
  });

  it('fails with one clear sentence when the sidecar refuses ready()', async () => {
    standIn.refusing.add('ready');
    const relay = { health: () => ({ live: true, members: 0 }) };
    await expect(FleetAgent.start(await openAgonesSdk(), relay, systemTimers, capturedLogger().logger, options)).rejects.toThrow(
      /^--agones: the Agones SDK server refused ready\(\): Error: 13 INTERNAL: stand-in refuses ready$/,
    );
  });
});

describe('the fleet agent with no sidecar', () => {
  it('says in one sentence that no SDK server answered, once its wait runs out', async () => {
    const standIn = await AgonesSdkStandIn.start();
    const port = standIn.port;
    await standIn.close();
    const saved = process.env.AGONES_SDK_GRPC_PORT;
    process.env.AGONES_SDK_GRPC_PORT = String(port);
    try {
      const sdk = await openAgonesSdk();
      const relay = { health: () => ({ live: true, members: 0 }) };
      const error = await FleetAgent.start(sdk, relay, systemTimers, capturedLogger().logger, { healthEveryMs: 2_000, connectTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FleetAgentError);
      expect((error as Error).message).toBe(
        `--agones: no Agones SDK server answered on localhost:${port} within 0.3 s; run the relay in an Agones GameServer pod (its SDK sidecar serves that port), or leave out --agones.`,
      );
    } finally {
      if (saved === undefined) delete process.env.AGONES_SDK_GRPC_PORT;
      else process.env.AGONES_SDK_GRPC_PORT = saved;
    }
  });
});
