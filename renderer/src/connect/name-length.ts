import { NAME_LIMITS, utf8Bytes } from '../../../electron/api/name-limits.js';

/**
 * Why `text` is too long to be the named thing, or null when it fits. The
 * relay counts names in UTF-8 bytes, so a name of few characters can still be
 * too long; the message says so, as a character count would mislead.
 * (An input's maxLength counts UTF-16 units, never fewer than the bytes, so
 * set to the byte limit it stops typing at the limit for plain letters only.)
 */
export function tooLong(what: 'name' | 'room', text: string): string | null {
  const limit = what === 'name' ? NAME_LIMITS.displayNameBytes : NAME_LIMITS.roomNameBytes;
  const bytes = utf8Bytes(text);
  if (bytes <= limit) return null;
  const subject = what === 'name' ? 'This name' : 'This room name';
  return `${subject} is too long: it takes ${bytes} bytes, and the limit is ${limit}. Accented letters and many scripts take 2 to 4 bytes each.`;
}

/** The attribute that stops typing at the limit where each character is one byte. */
export const MAX_LENGTH = { name: NAME_LIMITS.displayNameBytes, room: NAME_LIMITS.roomNameBytes } as const;
