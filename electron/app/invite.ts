import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { formatAddress } from '../../server/shared/address.js';

export interface Invite {
  host: string;
  port: number;
  room: string;
  secret?: string | undefined;
  password?: string | undefined;
}

/** What was read from a link or address; `roomNamed` is false when `room` is the default passed in. */
export interface ParsedInvite extends Invite {
  roomNamed: boolean;
}

export const DEFAULT_PORT = 47000;
export const DEFAULT_ROOM = 'Lobby';
const SCHEME = 'parley:';

export class InviteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InviteError';
  }
}

/** 128 random bits, URL-safe: what "Host a room" puts in its invite. */
export function generateRoomSecret(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * `parley://HOST:PORT/ROOM#secret=…&password=…`. The secrets ride in the
 * fragment, which no web server or proxy ever receives if the link passes
 * through one.
 */
export function formatInvite(invite: Invite): string {
  const fragment = new URLSearchParams();
  if (invite.secret) fragment.set('secret', invite.secret);
  if (invite.password) fragment.set('password', invite.password);
  const hash = fragment.size > 0 ? `#${fragment.toString()}` : '';
  return `${SCHEME}//${formatAddress(invite.host, invite.port)}/${encodeURIComponent(invite.room)}${hash}`;
}

/**
 * Reads what a person pastes in the Join box: an invite link, or a plain
 * address (`host`, `host:port`, `[v6]:port`). Throws InviteError with a
 * sentence that says what is wrong.
 */
export function parseInvite(text: string, defaultRoom = DEFAULT_ROOM): ParsedInvite {
  const input = text.trim();
  if (input === '') throw new InviteError('Enter an address like 203.0.113.5:47000, or paste an invite link.');
  if (input.toLowerCase().startsWith(SCHEME)) return parseLink(input, defaultRoom);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) throw new InviteError('That link is not a Parley invite (it should start with parley://).');
  return { ...parseAddress(input), room: defaultRoom, roomNamed: false };
}

function parseLink(input: string, defaultRoom: string): ParsedInvite {
  // Split by hand: a URL parser would resolve a room called "." or ".." as a path step.
  const rest = input.slice(SCHEME.length).replace(/^\/\//, '');
  const hashAt = rest.indexOf('#');
  const beforeHash = hashAt < 0 ? rest : rest.slice(0, hashAt);
  const fragment = new URLSearchParams(hashAt < 0 ? '' : rest.slice(hashAt + 1));
  const slashAt = beforeHash.indexOf('/');
  const authority = slashAt < 0 ? beforeHash : beforeHash.slice(0, slashAt);
  const path = slashAt < 0 ? '' : beforeHash.slice(slashAt + 1).replace(/\/+$/, '');
  if (authority === '') throw new InviteError('That invite link is damaged: check that it was copied whole.');
  const { host, port } = parseAddress(authority);
  let room = defaultRoom;
  if (path !== '') {
    try {
      room = decodeURIComponent(path);
    } catch {
      throw new InviteError('The room name in that invite link is damaged.');
    }
  }
  const secret = fragment.get('secret') ?? undefined;
  // An empty secret would make an unencrypted room where the link promised an encrypted one.
  if (secret === '') throw new InviteError('That invite link has an empty secret, so the room would not be encrypted: ask for the link again, copied whole.');
  return { host, port, room, roomNamed: path !== '', secret, password: fragment.get('password') ?? undefined };
}

function parseAddress(input: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(input);
  if (bracketed) return { host: checkHost(bracketed[1]!), port: checkPort(bracketed[2]) };
  if (isIP(input) === 6) return { host: input, port: DEFAULT_PORT };
  const parts = input.split(':');
  if (parts.length > 2) throw new InviteError('Write an IPv6 address in brackets, like [2001:db8::1]:47000.');
  return { host: checkHost(parts[0]!), port: checkPort(parts[1]) };
}

function checkHost(host: string): string {
  if (isIP(host) !== 0) return host;
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(host)) {
    throw new InviteError(`"${host}" is not an address or host name.`);
  }
  return host;
}

function checkPort(port: string | undefined): number {
  if (port === undefined || port === '') return DEFAULT_PORT;
  const value = Number(port);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new InviteError(`Port ${port} is not between 1 and 65535.`);
  return value;
}
