import { describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { JoinError } from '../../electron/net/join-error.js';
import { performHandshake } from '../../electron/net/handshake.js';
import { CONTROL_MAGIC, LIMITS, OPUS_PAYLOAD_TYPE, PROTOCOL_VERSION } from '../../server/protocol/constants.js';
import { ControlType, decodeControl, encodeSealedHeader } from '../../server/protocol/control.js';
import { randomBytes } from '../../server/protocol/crypto.js';
import { ManualClock } from '../../server/shared/clock.js';
import { collectMedia, joinRelay, peerNames, sleep, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

const talk = (session: RelaySession, count: number, firstSequence = 1): void => {
  for (let i = 0; i < count; i++) {
    session.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: firstSequence + i, timestamp: 960 * i }, Uint8Array.of(i));
  }
};

describe('relay membership and roster', () => {
  const harness = relayHarness();
  let relay: RelayHandle;

  const join = (name: string, room = 'lobby', extra: Partial<Parameters<typeof joinRelay>[1]> = {}): Promise<RelaySession> =>
    harness.join(relay, { room, name, ...extra });

  it('shows joins and a clean leave to the others at once', async () => {
    relay = await harness.relay();
    const ana = await join('Ana');
    const ben = await join('Ben');
    await waitFor('Ana sees Ben', () => peerNames(ana).includes('Ben'));
    const cai = await join('Cai');
    await waitFor('all see all', () => peerNames(ana).length === 2 && peerNames(ben).length === 2 && peerNames(cai).length === 2);
    expect(peerNames(cai)).toEqual(['Ana', 'Ben']);

    await ben.leave();
    await waitFor('Ben gone', () => peerNames(ana).length === 1 && peerNames(cai).length === 1);
    expect(peerNames(ana)).toEqual(['Cai']);
    // Both of Ben's LEAVEs (a client sends two) have arrived: the second is neither a drop nor answered.
    await waitFor('all read', () => relay.stats().packetsIn === [ana, ben, cai].reduce((sum, s) => sum + s.transportStats.sent, 0));
    expect(relay.stats()).toMatchObject({ members: 2, joins: 3, leaves: 1, timeouts: 0, droppedTotal: 0 });
    expect(relay.stats().dropped).toEqual({});
  });

  it('takes a clean leave, sent twice as clients do, with no drop and no reply', async () => {
    relay = await harness.relay();
    const transport = await harness.transport(relay);
    const joined = await performHandshake(transport, { room: 'lobby', name: 'Ana', mediaSalt: new Uint8Array(16), flags: 0 });
    // The COOKIE, the WELCOME, the roster of a room of one, and CHAT_READY.
    await waitFor('roster received', () => transport.received === 4);
    transport.send(joined.sender.seal({ kind: 'leave' }));
    transport.send(joined.sender.seal({ kind: 'leave' }));
    await waitFor('both read', () => relay.stats().packetsIn === transport.sent);
    await sleep(100);
    transport.close();
    expect(relay.stats()).toMatchObject({ members: 0, rooms: 0, joins: 1, leaves: 1, controlSent: 4, droppedTotal: 0 });
    expect(relay.stats().dropped).toEqual({});
    expect(transport.received).toBe(4);
  });

  it('remembers a member that left for five seconds only, and never for a forger', async () => {
    const clock = new ManualClock(0);
    relay = await harness.relay({ clock, maintenanceIntervalMs: 5 });
    const transport = await harness.transport(relay);
    const joined = await performHandshake(transport, { room: 'lobby', name: 'Ana', mediaSalt: new Uint8Array(16), flags: 0 });
    await waitFor('roster received', () => transport.received === 4);
    transport.send(joined.sender.seal({ kind: 'leave' }));
    await waitFor('left', () => relay.stats().leaves === 1);
    // A forgery under the left member's id is refused as one, and not answered.
    transport.send(Buffer.concat([encodeSealedHeader(joined.memberId, 99), randomBytes(24)]));
    await waitFor('forgery refused', () => relay.stats().dropped.bad_mac === 1);

    clock.set(4_999);
    await sleep(30);
    transport.send(joined.sender.seal({ kind: 'ping', pingId: 1, reports: [] }));
    await waitFor('late ping read', () => relay.stats().packetsIn === transport.sent);
    await sleep(30);
    expect(relay.stats().dropped).toEqual({ bad_mac: 1 });
    expect(transport.received).toBe(4);

    clock.set(5_001);
    await sleep(30);
    transport.send(joined.sender.seal({ kind: 'ping', pingId: 2, reports: [] }));
    await waitFor('UNKNOWN_SESSION', () => transport.received === 5);
    expect(relay.stats().dropped).toEqual({ bad_mac: 1, unknown_member: 1 });
    transport.close();
  });

  it('propagates muted, deafened and talking flags to the room', async () => {
    relay = await harness.relay();
    const ana = await join('Ana');
    const ben = await join('Ben', 'lobby', { flags: { muted: true } });
    await waitFor('Ana sees Ben muted', () => ana.peers.find((p) => p.name === 'Ben')?.flags.muted === true);

    ben.setFlags({ muted: false, talking: true });
    await waitFor('Ben talking', () => {
      const flags = ana.peers.find((p) => p.name === 'Ben')?.flags;
      return flags?.talking === true && flags.muted === false;
    });
    ana.setFlags({ deafened: true });
    await waitFor('Ana deafened', () => ben.peers.find((p) => p.name === 'Ana')?.flags.deafened === true);
    expect(relay.rooms()[0]!.members.map((m) => [m.name, m.muted, m.deafened, m.talking]).sort()).toEqual([
      ['Ana', false, true, false],
      ['Ben', false, false, true],
    ]);
  });

  it('sends no audio to a deafened member and forwards none from a muted one', async () => {
    relay = await harness.relay();
    const ana = await join('Ana', 'lobby', { flags: { deafened: true } });
    const ben = await join('Ben');
    const cai = await join('Cai', 'lobby', { flags: { muted: true } });
    await waitFor('roster', () => peerNames(ben).length === 2);
    const heardByAna = collectMedia(ana);
    const heardByBen = collectMedia(ben);
    talk(ben, 5);
    talk(cai, 5);
    await waitFor('Cai hears Ben', () => relay.stats().mediaForwarded === 5);
    await sleep(100);
    expect(heardByAna).toHaveLength(0);
    expect(heardByBen).toHaveLength(0);
    expect(relay.stats().dropped.not_allowed).toBe(5);
  });

  it('enforces the room and relay caps with clear errors', async () => {
    relay = await harness.relay({ maxMembersPerRoom: 2, maxRooms: 2 });
    await join('Ana', 'one');
    await join('Ben', 'one');
    const full = await joinRelay(relay, { room: 'one', name: 'Cai' }).catch((error: unknown) => error);
    expect(full).toBeInstanceOf(JoinError);
    expect((full as JoinError).code).toBe('roomFull');
    await join('Dee', 'two');
    const tooMany = await joinRelay(relay, { room: 'three', name: 'Eli' }).catch((error: unknown) => error);
    expect((tooMany as JoinError).code).toBe('relayFull');
    expect(relay.stats()).toMatchObject({ rooms: 2, members: 3 });
  });

  it('refuses names that are empty, too long or carry control characters, before sending anything', async () => {
    relay = await harness.relay();
    for (const [room, name, code] of [
      ['lobby', '', 'invalidName'],
      ['lobby', '   ', 'invalidName'],
      ['lobby', 'x'.repeat(LIMITS.maxDisplayNameBytes + 1), 'invalidName'],
      ['lobby', 'bell\u0007', 'invalidName'],
      // (An empty room name browses the directory instead: test/relay/room-directory.test.ts.)
      ['  ', 'Ana', 'invalidRoom'],
      ['r'.repeat(LIMITS.maxRoomNameBytes + 1), 'Ana', 'invalidRoom'],
    ] as const) {
      const error = await joinRelay(relay, { room, name }).catch((e: unknown) => e);
      expect(error, `${JSON.stringify(room)} / ${JSON.stringify(name)}`).toBeInstanceOf(JoinError);
      expect((error as JoinError).code).toBe(code);
    }
    expect(relay.stats().packetsIn).toBe(0);
  });

  it('normalises names so that the same room typed differently is one room', async () => {
    relay = await harness.relay();
    const ana = await join('  Ana ', 'Cafe\u0301');
    const ben = await join('Ben', ' Caf\u00e9');
    await waitFor('one room', () => peerNames(ana).length === 1);
    expect(peerNames(ben)).toEqual(['Ana']);
    expect(relay.rooms().map((r) => r.name)).toEqual(['Caf\u00e9']);
  });

  it('refuses invalid names itself when a client sends them anyway', async () => {
    relay = await harness.relay();
    const transport = await harness.transport(relay);
    const request = { mediaSalt: new Uint8Array(16), flags: 0 };
    const outcomes: string[] = [];
    // (An empty room name is not invalid: it asks to browse the directory; test/relay/room-directory.test.ts.)
    for (const [room, name] of [
      ['lobby', ' Ana'],
      ['lobby', 'tab\there'],
      ['lobby\u0000', 'Ana'],
      [' lobby', 'Ana'],
    ] as const) {
      const error = await performHandshake(transport, { ...request, room, name }).catch((e: unknown) => e);
      outcomes.push((error as JoinError).code);
    }
    transport.close();
    expect(outcomes).toEqual(['invalidName', 'invalidName', 'invalidRoom', 'invalidRoom']);
    expect(relay.stats().members).toBe(0);
  });

  it('answers a HELLO of another protocol version with a REJECT naming its own', async () => {
    relay = await harness.relay();
    const socket = await harness.socket();
    const hello = Buffer.alloc(LIMITS.helloBytes);
    hello[0] = CONTROL_MAGIC;
    hello[1] = 9;
    hello[2] = ControlType.hello;
    hello.fill(7, 3, 19);
    const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(hello, relay.address.port, '127.0.0.1');
    const message = decodeControl(await reply);
    socket.close();
    expect(message).toEqual({ type: 'reject', clientNonce: Uint8Array.from(hello.subarray(3, 19)), code: 'versionMismatch', relayVersion: PROTOCOL_VERSION });
  });
});
