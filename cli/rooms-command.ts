import { once } from 'node:events';
import { z } from 'zod';
import { InviteError, parseInvite } from '../electron/app/invite.js';
import { JoinError } from '../electron/net/join-error.js';
import { RelaySession } from '../electron/net/session.js';
import type { ListedRoom } from '../electron/net/directory-sync.js';
import { formatAddress } from '../server/shared/address.js';
import { parseOptions } from './options.js';
import { StdoutLines } from './stdout-lines.js';

export const roomsOptionsSchema = z.object({
  password: z.string().optional(),
  name: z.string().min(1, 'must not be empty').default('Parley rooms'),
  json: z.boolean().default(false),
});

/** How long to wait for the directory once in: a relay that has one sends it with the WELCOME. */
const DIRECTORY_WAIT_MS = 3_000;

/** One room as a line, then its members, indented (muted and deafened said in words). */
export function roomLines(rooms: readonly ListedRoom[]): string[] {
  if (rooms.length === 0) return ['No rooms yet: the first to join a room opens it.'];
  const lines: string[] = [];
  for (const room of rooms) {
    const lock = room.locked ? (room.opensWithoutSecret ? ' (encrypted; the relay hands out its key)' : ' (locked: needs its secret or password)') : '';
    lines.push(`${room.name}: ${room.memberCount} ${room.memberCount === 1 ? 'member' : 'members'}${lock}`);
    for (const member of room.members) {
      const states = [member.muted ? 'muted' : '', member.deafened ? 'deafened' : ''].filter(Boolean);
      lines.push(`  ${member.name}${states.length ? ` (${states.join(', ')})` : ''}`);
    }
    if (room.members.length < room.memberCount) lines.push(`  … and ${room.memberCount - room.members.length} more`);
  }
  return lines;
}

/**
 * `parley rooms`: joins a relay without entering a room, prints its
 * directory and leaves. The text is for people; --json for scripts.
 */
export async function runRoomsCommand(target: string, raw: unknown): Promise<void> {
  const options = parseOptions(roomsOptionsSchema, raw);
  let relay: { host: string; port: number };
  let invitePassword: string | undefined;
  try {
    const invite = parseInvite(target);
    relay = { host: invite.host, port: invite.port };
    invitePassword = invite.password;
  } catch (error) {
    throw new Error(error instanceof InviteError ? error.message : String(error), { cause: error });
  }
  let session: RelaySession;
  try {
    session = await RelaySession.connect({ relay, room: '', name: options.name, password: options.password ?? invitePassword ?? process.env.PARLEY_RELAY_PASSWORD });
  } catch (error) {
    throw new Error(error instanceof JoinError ? `${formatAddress(relay.host, relay.port)}: ${error.message}` : String(error), { cause: error });
  }
  try {
    const rooms = session.directory ?? (await once(session, 'directory', { signal: AbortSignal.timeout(DIRECTORY_WAIT_MS) }).then(([listed]) => listed as ListedRoom[]).catch(() => undefined));
    if (!rooms) throw new Error(`${formatAddress(relay.host, relay.port)}: the relay sent no list of its rooms (it may run an older Parley)`);
    const out = new StdoutLines();
    out.write(options.json ? `${JSON.stringify(rooms)}\n` : `${roomLines(rooms).join('\n')}\n`);
  } finally {
    await session.leave();
  }
}
