import { describe, expect, it } from 'vitest';
import { capturedLogger, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

describe('addresses in what the relay says', () => {
  const harness = relayHarness();

  it('logs a roaming IPv6 member’s old and new address with the host in brackets', async () => {
    const { logger, lines } = capturedLogger();
    const relay = await harness.relayAt({ host: '::1', port: 0, logger });
    const six = await harness.connect({ relay: { host: '::1', port: relay.address.port }, room: 'lobby', name: 'Six' });
    await six.roam();
    const roamed = await waitFor('the roam logged', () => lines.find((line) => line.msg === 'member roamed'));
    expect(roamed.from).toMatch(/^\[::1\]:\d+$/);
    expect(roamed.to).toMatch(/^\[::1\]:\d+$/);
    expect(roamed.to).not.toBe(roamed.from);
  });
});
