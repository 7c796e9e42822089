import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInvite, generateRoomSecret, InviteError, parseInvite } from '../../electron/app/invite.js';

describe('invites', () => {
  it('round-trip any room, secret and password through a link', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('203.0.113.5', 'relay.example.org', '2001:db8::1', 'localhost'),
        fc.integer({ min: 1, max: 65535 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        (host, port, room, secret, password) => {
          expect(parseInvite(formatInvite({ host, port, room, secret, password }))).toEqual({ host, port, room, roomNamed: true, secret, password });
        },
      ),
    );
  });

  it('write IPv6 hosts in brackets and secrets in the fragment', () => {
    expect(formatInvite({ host: '2001:db8::1', port: 47000, room: 'Game night', secret: 'abc' })).toBe('parley://[2001:db8::1]:47000/Game%20night#secret=abc');
  });

  it('keep rooms named like path steps, and ports that other schemes treat as default', () => {
    for (const room of ['.', '..', 'a/b', '#1', '?']) expect(parseInvite(formatInvite({ host: 'h.example', port: 80, room })).room).toBe(room);
    expect(parseInvite('parley://h.example:80/Lobby').port).toBe(80);
    expect(parseInvite('parley://h.example').port).toBe(47000);
  });

  it('say whether the link named its room, or the default was used', () => {
    expect(parseInvite('parley://h.example:80/Ops')).toMatchObject({ room: 'Ops', roomNamed: true });
    expect(parseInvite('parley://h.example:80')).toMatchObject({ room: 'Lobby', roomNamed: false });
    expect(parseInvite('parley://h.example:80/#secret=abc', 'Games')).toMatchObject({ room: 'Games', roomNamed: false, secret: 'abc' });
  });

  it('accept plain addresses with or without a port', () => {
    expect(parseInvite(' 192.168.1.20 ')).toEqual({ host: '192.168.1.20', port: 47000, room: 'Lobby', roomNamed: false });
    expect(parseInvite('relay.example.org:5000', 'Ops')).toEqual({ host: 'relay.example.org', port: 5000, room: 'Ops', roomNamed: false });
    expect(parseInvite('[::1]:6000')).toEqual({ host: '::1', port: 6000, room: 'Lobby', roomNamed: false });
    expect(parseInvite('fe80::1')).toEqual({ host: 'fe80::1', port: 47000, room: 'Lobby', roomNamed: false });
  });

  it('say what is wrong with bad input', () => {
    const message = (text: string): string => {
      try {
        parseInvite(text);
        return 'accepted';
      } catch (error) {
        return error instanceof InviteError ? error.message : `unexpected ${String(error)}`;
      }
    };
    expect(message('')).toBe('Enter an address like 203.0.113.5:47000, or paste an invite link.');
    expect(message('host:99999')).toBe('Port 99999 is not between 1 and 65535.');
    expect(message('https://example.org/x')).toBe('That link is not a Parley invite (it should start with parley://).');
    expect(message('2001:db8::1:47000:x')).toBe('Write an IPv6 address in brackets, like [2001:db8::1]:47000.');
    expect(message('bad host!:4000')).toBe('"bad host!" is not an address or host name.');
    expect(message('parley://')).toBe('That invite link is damaged: check that it was copied whole.');
    const emptySecret = 'That invite link has an empty secret, so the room would not be encrypted: ask for the link again, copied whole.';
    expect(message('parley://h.example:5000/Room#secret=')).toBe(emptySecret);
    expect(message('parley://h.example/#secret=&password=pw')).toBe(emptySecret);
  });

  it('generate 128-bit URL-safe secrets', () => {
    const secrets = new Set(Array.from({ length: 100 }, generateRoomSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
