import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ChatArrival } from '../../electron/net/chat/session-chat.js';
import { JoinError } from '../../electron/net/join-error.js';
import type { RelaySession } from '../../electron/net/session.js';
import type { ListedRoom } from '../../electron/net/directory-sync.js';
import { relayHarness } from '../helpers/relay-harness.js';
import { freeUdpPort, waitFor } from '../helpers/relay.js';
import { startRelay } from '../../server/index.js';

/** The directory as a picker shows it: each room's name, lock and who is in it. */
const tree = (rooms: ListedRoom[] | undefined): string[] =>
  (rooms ?? []).map((room) => `${room.name}${room.locked ? ' 🔒' : ''}${room.opensWithoutSecret ? ' (opens)' : ''}: ${room.memberCount} [${room.members.map((m) => m.name).join(', ')}]`);

const peerNames = (session: RelaySession): string[] => session.peers.map((p) => p.name).sort();

function chatLog(session: RelaySession): ChatArrival[] {
  const messages: ChatArrival[] = [];
  session.onChat((event) => event.kind === 'message' && messages.push(event.message));
  return messages;
}

describe('the room directory and moving between rooms, through the real relay', () => {
  const harness = relayHarness();
  const secret = 'attic key 1234';

  it('lists three rooms (a hidden one left out) to a browser, and moves a member with its session, audio and chat', async () => {
    const relay = await harness.relay();
    const ana = await harness.join(relay, { room: 'Lobby', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'Attic', name: 'Ben', secret });
    const cy = await harness.join(relay, { room: 'Cellar', name: 'Cy', hiddenRoom: true });
    const dee = await harness.join(relay, { room: 'Workshop', name: 'Dee' });

    const browser = await harness.join(relay, { room: '', name: 'Picker' });
    await waitFor('a directory', () => browser.directory !== undefined);
    expect(tree(browser.directory)).toEqual(['Attic 🔒: 1 [Ben]', 'Lobby: 1 [Ana]', 'Workshop: 1 [Dee]']);
    // A browser is in no room: nobody sees it, and it sees nobody.
    expect(peerNames(ana)).toEqual([]);
    expect(browser.peers).toEqual([]);

    ana.watchDirectory();
    await waitFor('Ana’s directory', () => ana.directory !== undefined);
    const anaId = ana.memberId;
    const anaChat = chatLog(ana);
    const deeChat = chatLog(dee);
    await waitFor('chat', () => ana.chatAvailable && dee.chatAvailable);
    dee.postChat('before Ana came');
    await waitFor('Dee’s first', () => deeChat.length === 1);

    const moved = once(ana, 'moved');
    await ana.moveTo('Workshop');
    expect(await moved).toEqual(['Workshop']);
    expect(ana.memberId).toBe(anaId);
    expect(ana.room).toBe('Workshop');
    await waitFor('Ana in the Workshop', () => peerNames(ana).join() === 'Dee' && peerNames(dee).join() === 'Ana');
    // Both the watcher who moved and the browser see the move, within a push.
    await waitFor('the move listed', () => tree(browser.directory).join('|') === 'Attic 🔒: 1 [Ben]|Workshop: 2 [Dee, Ana]');
    await waitFor('the move listed to Ana', () => tree(ana.directory).join('|') === 'Attic 🔒: 1 [Ben]|Workshop: 2 [Dee, Ana]');
    expect(relay.rooms().map((r) => r.name).sort()).toEqual(['Attic', 'Cellar', 'Workshop']);
    expect(relay.stats().moves).toBe(1);

    // The new room's chat: its history, then what is said there, and nothing of the old room's.
    await waitFor('Workshop history', () => anaChat.some((m) => m.text === 'before Ana came' && m.history));
    await waitFor('chat after the move', () => ana.chatAvailable);
    expect(ana.postChat('hello Workshop')).toMatchObject({ ok: true });
    await waitFor('Dee hears Ana', () => deeChat.some((m) => m.text === 'hello Workshop' && m.senderName === 'Ana'));

    // Audio in the new room: Ana's media reaches Dee (and not Cy, in another room).
    const arrivals: number[] = [];
    dee.on('media', (m) => arrivals.push(m.peerId));
    const cyHeard: number[] = [];
    cy.on('media', (m) => cyHeard.push(m.peerId));
    for (let sequence = 1; sequence <= 5; sequence++) ana.sendMedia({ marker: false, payloadType: 111, sequence, timestamp: sequence * 960 }, Buffer.from([sequence]));
    await waitFor('Dee hears Ana’s audio', () => arrivals.length === 5);
    expect(arrivals.every((id) => id === anaId)).toBe(true);
    expect(cyHeard).toEqual([]);
    void ben;
  }, 30_000);

  it('refuses a locked room to a member without its secret or with another, and lets in one who has it', async () => {
    const relay = await harness.relay();
    await harness.join(relay, { room: 'Attic', name: 'Ben', secret });
    const ana = await harness.join(relay, { room: 'Lobby', name: 'Ana' });
    const without = await ana.moveTo('Attic').catch((error: unknown) => error);
    expect(without).toBeInstanceOf(JoinError);
    expect((without as JoinError).code).toBe('secretMismatch');
    const wrong = await ana.moveTo('Attic', { secret: 'guess' }).catch((error: unknown) => error);
    expect((wrong as JoinError).code).toBe('secretMismatch');
    expect(ana.room).toBe('Lobby');
    expect(relay.stats().movesRefused).toEqual({ secretMismatch: 2 });
    // Still a member of the Lobby, chat and all.
    await waitFor('chat again', () => ana.chatAvailable);
    await ana.moveTo('Attic', { secret });
    await waitFor('Ben and Ana together', () => peerNames(ana).join() === 'Ben');
    expect(ana.encrypted).toBe(true);
  }, 30_000);

  it('hands out a kept secret on a move, and holds a room password to those who type it; both listed while empty', async () => {
    const relay = await harness.relay({ roomSecrets: { Hosted: 'kept secret' }, roomPasswords: { Staff: 'staff only' } });
    const ana = await harness.join(relay, { room: '', name: 'Ana' });
    await waitFor('a directory', () => ana.directory !== undefined);
    expect(tree(ana.directory)).toEqual(['Hosted 🔒 (opens): 0 []', 'Staff 🔒: 0 []']);
    await ana.moveTo('Hosted');
    expect(ana.encrypted).toBe(true);
    expect(((await ana.moveTo('Staff').catch((e: unknown) => e)) as JoinError).code).toBe('secretMismatch');
    await ana.moveTo('Staff', { secret: 'staff only' });
    expect(ana.room).toBe('Staff');
    await waitFor('listed', () => tree(ana.directory).join('|') === 'Hosted 🔒 (opens): 0 []|Staff 🔒: 1 [Ana]');
  }, 30_000);

  it('paces a member that moves in a loop, and still gets each move through', async () => {
    const relay = await harness.relay();
    const ana = await harness.join(relay, { room: 'Lobby', name: 'Ana' });
    for (let i = 1; i <= 8; i++) await ana.moveTo(`Room ${i}`);
    expect(ana.room).toBe('Room 8');
    expect(relay.stats().moves).toBe(8);
    expect(relay.stats().dropped.rate_limited ?? 0).toBeGreaterThanOrEqual(1);
    expect(relay.rooms().map((r) => r.name)).toEqual(['Room 8']);
  }, 30_000);

  it('keeps its rooms private when told: no browsing, no directory', async () => {
    const relay = await harness.relay({ privateRooms: true });
    const browse = await harness.join(relay, { room: '', name: 'Ana' }).catch((error: unknown) => error);
    expect((browse as JoinError).code).toBe('roomsPrivate');
    const ben = await harness.join(relay, { room: 'Lobby', name: 'Ben' });
    ben.watchDirectory();
    await waitFor('the request refused', () => (relay.stats().dropped.not_allowed ?? 0) >= 1);
    expect(ben.directory).toBeUndefined();
  }, 30_000);

  it('rejoins the room it moved to, and watches the directory again, after the relay restarts', async () => {
    const port = await freeUdpPort();
    const first = await startRelay({ host: '127.0.0.1', port });
    const ana = await harness.connect({ relay: { host: '127.0.0.1', port }, room: 'Lobby', name: 'Ana', reconnectDelaysMs: { initial: 50, max: 200 } });
    await ana.moveTo('Attic', { secret });
    ana.watchDirectory();
    await first.close();
    await waitFor('Ana told', () => ana.status.state === 'reconnecting');
    const second = await harness.relayAt({ host: '127.0.0.1', port });
    await waitFor('Ana back', () => ana.status.state === 'connected', 5_000);
    expect(ana.room).toBe('Attic');
    expect(ana.encrypted).toBe(true);
    expect(second.rooms().map((r) => r.name)).toEqual(['Attic']);
    await waitFor('a directory from the new relay', () => tree(ana.directory).join() === 'Attic 🔒: 1 [Ana]');
  }, 30_000);
});
