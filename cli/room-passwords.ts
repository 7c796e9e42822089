import { isValidRoomName, normalizeName } from '../server/protocol/names.js';
import { readSecretFile } from './relay-password.js';

/**
 * `--room-password NAME=FILE`, as often as there are locked rooms: each room
 * and the password in its file (read here, at start, so a typo stops the
 * relay rather than leaving a room open). A file, not the password itself,
 * so it never shows in `ps`.
 */
export function resolveRoomPasswords(specs: readonly string[] | undefined): Record<string, string> {
  const passwords: Record<string, string> = {};
  for (const spec of specs ?? []) {
    const at = spec.lastIndexOf('=');
    if (at <= 0 || at === spec.length - 1) throw new Error(`--room-password: "${spec}" is not NAME=FILE (the room's name, then the file holding its password)`);
    const room = normalizeName(spec.slice(0, at));
    if (!isValidRoomName(room)) throw new Error(`--room-password: "${spec.slice(0, at)}" is not a room name (1–64 bytes, no control characters)`);
    if (room in passwords) throw new Error(`--room-password: room "${room}" is given twice`);
    const password = readSecretFile('--room-password', spec.slice(at + 1)).trim();
    if (password === '') throw new Error(`--room-password: the file for room "${room}" holds no password`);
    passwords[room] = password;
  }
  return passwords;
}
