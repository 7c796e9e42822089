import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RelaySession } from '../../electron/net/session.js';
import { startRelay, type RelayHandle } from '../../server/index.js';
import { waitFor } from '../helpers/relay.js';

/** A logger whose lines the test reads back, parsed. */
function capturedLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('addresses in what the relay says', () => {
  let relay: RelayHandle | undefined;
  const sessions: RelaySession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.leave()));
    await relay?.close();
  });

  it('logs a roaming IPv6 member’s old and new address with the host in brackets', async () => {
    const { logger, lines } = capturedLogger();
    relay = await startRelay({ host: '::1', port: 0, logger });
    const six = await RelaySession.connect({ relay: { host: '::1', port: relay.address.port }, room: 'lobby', name: 'Six' });
    sessions.push(six);
    await six.roam();
    const roamed = await waitFor('the roam logged', () => lines.find((line) => line.msg === 'member roamed'));
    expect(roamed.from).toMatch(/^\[::1\]:\d+$/);
    expect(roamed.to).toMatch(/^\[::1\]:\d+$/);
    expect(roamed.to).not.toBe(roamed.from);
  });
});
