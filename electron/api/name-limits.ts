import { z } from 'zod';

/**
 * How long names may be, as the wire counts them: UTF-8 bytes, not characters
 * ("Zoë" is 4 bytes). These are the protocol's own limits (server/protocol's
 * LIMITS, which this contract may not import; test/api/name-limits.test.ts
 * keeps the two equal), so a name the window accepts is one the relay accepts.
 */
export const NAME_LIMITS = { displayNameBytes: 32, roomNameBytes: 64 } as const;

const encoder = new TextEncoder();

/** A string of at most `bytes` bytes in UTF-8. */
export function utf8Text(bytes: number): z.ZodString {
  return z.string().max(bytes).refine((text) => encoder.encode(text).length <= bytes, { message: `at most ${bytes} bytes in UTF-8` });
}
