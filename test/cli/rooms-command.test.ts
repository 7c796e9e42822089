import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { RelaySession } from '../../electron/net/session.js';
import { waitFor } from '../helpers/relay.js';
import { runParley, type ParleyProcess } from './run-parley.js';

describe('parley rooms, and the relay’s room options', () => {
  const children: ParleyProcess[] = [];
  const sessions: RelaySession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.leave()));
    for (const run of children.splice(0)) run.child.kill('SIGKILL');
  });

  async function relayWith(args: string[]): Promise<{ port: number; banner: string }> {
    const run = runParley(['relay', '--host', '127.0.0.1', '--port', '0', '--no-tcp', ...args]);
    children.push(run);
    const banner = await waitFor('banner', () => /Press Ctrl\+C/.test(run.stdout()) && run.stdout(), 15_000);
    return { port: Number(/listening on UDP 127\.0\.0\.1:(\d+)/.exec(banner)?.[1]), banner };
  }

  it('lists the rooms with their members and locks, as text and as JSON; a room password locks its room', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parley-rooms-')), 'staff.txt');
    writeFileSync(file, 'staff only\n');
    const { port, banner } = await relayWith(['--room-password', `Staff=${file}`]);
    expect(banner).toContain('Rooms: listed to everyone who joins\nRoom "Staff" is locked with a password\n');
    const relay = { host: '127.0.0.1', port };
    sessions.push(await RelaySession.connect({ relay, room: 'Lobby', name: 'Ana', flags: { muted: true } }));
    sessions.push(await RelaySession.connect({ relay, room: 'Lobby', name: 'Ben' }));
    sessions.push(await RelaySession.connect({ relay, room: 'Staff', name: 'Cy', secret: 'staff only' }));
    const refused = await RelaySession.connect({ relay, room: 'Staff', name: 'Dee' }).catch((e: unknown) => e);
    expect((refused as Error).message).toBe('This room uses a different secret: check the invite link.');

    const text = runParley(['rooms', `127.0.0.1:${port}`]);
    expect(await text.exited()).toBe(0);
    expect(text.stdout()).toBe(['Lobby: 2 members', '  Ana (muted)', '  Ben', 'Staff: 1 member (locked: needs its secret or password)', '  Cy', ''].join('\n'));
    const json = runParley(['rooms', `127.0.0.1:${port}`, '--json']);
    expect(await json.exited()).toBe(0);
    expect((JSON.parse(json.stdout()) as { name: string; memberCount: number }[]).map((r) => [r.name, r.memberCount])).toEqual([['Lobby', 2], ['Staff', 1]]);
  }, 30_000);

  it('keeps a room that `parley join --hidden-room` created out of the list', async () => {
    const { port } = await relayWith([]);
    const quiet = join(mkdtempSync(join(tmpdir(), 'parley-rooms-')), 'quiet.wav');
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 48_000, '16', new Int16Array(48_000));
    writeFileSync(quiet, wav.toBuffer());
    const bot = runParley(['join', `127.0.0.1:${port}`, '--room', 'Hideout', '--name', 'Bot', '--hidden-room', '--input', quiet, '--output', `${quiet}.out.wav`, '--duration', '20']);
    children.push(bot);
    await waitFor('Bot in', () => /joined/i.test(bot.stdout()), 15_000);
    const seer = await RelaySession.connect({ relay: { host: '127.0.0.1', port }, room: 'Hideout', name: 'Ana' });
    sessions.push(seer);
    await waitFor('Bot seen', () => seer.peers.some((p) => p.name === 'Bot'));
    const rooms = runParley(['rooms', `127.0.0.1:${port}`]);
    expect(await rooms.exited()).toBe(0);
    expect(rooms.stdout()).toBe('No rooms yet: the first to join a room opens it.\n');
  }, 30_000);

  it('says so when the relay keeps its rooms private, and refuses a malformed --room-password', async () => {
    const { port, banner } = await relayWith(['--private-rooms']);
    expect(banner).toContain('Rooms: private (a member must know a room’s name to join it)\n');
    const rooms = runParley(['rooms', `127.0.0.1:${port}`]);
    expect(await rooms.exited()).toBe(1);
    expect(rooms.stderr()).toBe(`parley: 127.0.0.1:${port}: This relay keeps its rooms private: enter the name of the room you were invited to.\n`);
    const bad = runParley(['relay', '--port', '0', '--room-password', 'Staff']);
    const missing = runParley(['relay', '--port', '0', '--room-password', 'Staff=/nonexistent/pw']);
    children.push(bad, missing);
    expect(await bad.exited()).toBe(1);
    expect(bad.stderr()).toBe('parley: --room-password: "Staff" is not NAME=FILE (the room\'s name, then the file holding its password)\n');
    expect(await missing.exited()).toBe(1);
    expect(missing.stderr()).toMatch(/^parley: --room-password: cannot read "\/nonexistent\/pw" \(no such file or directory, ENOENT\)\.\n$/);
  }, 30_000);
});
