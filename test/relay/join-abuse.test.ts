import { describe, expect, it } from 'vitest';
import { decodeControl, encodeControl, type ControlMessage, type Cookie } from '../../server/protocol/control.js';
import { generateEphemeralKeyPair, randomBytes } from '../../server/protocol/crypto.js';
import { ManualClock } from '../../server/shared/clock.js';
import { capturedLogger, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

const FLOOD = 2_000;

describe('join abuse from one address', () => {
  const harness = relayHarness();

  it('a wrong-password flood from one socket refuses no correct join from another address, and is logged as one summary', async () => {
    // A frozen clock: no budget refills and no block expires until the test says, so every count is exact.
    const clock = new ManualClock(0);
    const { logger, lines: logged } = capturedLogger();
    const password = 'correct horse battery staple';
    const relay = await harness.relay({ password, clock, logger, maintenanceIntervalMs: 5, metricsPort: 0 });

    // The attacker, at another loopback address (Linux routes all of 127/8): one cookie, then JOIN after JOIN with a guessed proof.
    const attacker = await harness.socket('127.0.0.2');
    const replies: ControlMessage[] = [];
    attacker.on('message', (datagram) => replies.push(decodeControl(datagram)));
    const clientNonce = randomBytes(16);
    attacker.send(encodeControl({ type: 'hello', clientNonce }), relay.address.port, '127.0.0.1');
    const cookie = await waitFor('cookie', () => replies.find((m): m is Cookie => m.type === 'cookie'));
    const guess = (): Buffer =>
      encodeControl({
        type: 'join',
        cookie: cookie.cookie,
        clientNonce,
        clientPublicKey: generateEphemeralKeyPair().publicKey,
        roomPublicKey: new Uint8Array(32),
        mediaSalt: randomBytes(16),
        flags: 0,
        room: 'lobby',
        name: 'Eve',
        proof: randomBytes(16),
        roomProof: new Uint8Array(64),
      });
    for (let i = 0; i < FLOOD; i++) {
      attacker.send(guess(), relay.address.port, '127.0.0.1');
      // Paced so the kernel's socket buffer, not the relay, is never what drops a datagram.
      if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor('flood read', () => relay.stats().packetsIn === 1 + FLOOD, 20_000);

    // Friends with the right password, from 127.0.0.1, while the relay-wide budget is not refilling.
    for (const name of ['Ana', 'Ben', 'Cai', 'Dee', 'Eli']) await harness.join(relay, { room: 'lobby', name, password });
    expect(relay.stats()).toMatchObject({ members: 5, joins: 5 });

    // Five tries free, then the address waits; past its own 40-join burst it is simply busy.
    await waitFor('every guess answered', () => replies.filter((m) => m.type === 'reject').length === FLOOD);
    expect(relay.stats().refused).toEqual({ wrongPassword: 5, tooManyAttempts: 35, busy: 1_960 });
    const metrics = await (await fetch(`http://127.0.0.1:${relay.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^parley_joins_refused_total\{code="busy"\} 1960$/m);
    expect(metrics).toMatch(/^parley_joins_refused_total\{code="wrongPassword"\} 5$/m);

    // Not a line per refusal: one summary when the period ends.
    const summaries = (): Record<string, unknown>[] => logged.filter((line) => line.msg === 'joins refused');
    expect(logged.filter((line) => line.msg === 'join refused')).toHaveLength(0);
    expect(summaries()).toHaveLength(0);
    clock.set(10_000);
    await waitFor('summary written', () => summaries().length === 1);
    expect(summaries()[0]).toMatchObject({
      refused: { wrongPassword: 5, tooManyAttempts: 35, busy: 1_960 },
      total: FLOOD,
      addresses: 1,
      busiest: [{ address: '127.0.0.2', refused: FLOOD }],
    });
    expect(logged.length).toBeLessThan(20);
  });
});
