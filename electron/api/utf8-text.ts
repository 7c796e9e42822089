import { z } from 'zod';

const encoder = new TextEncoder();

/** A string of at most `bytes` bytes in UTF-8, as names are counted on the wire (see name-limits.ts). */
export function utf8Text(bytes: number): z.ZodString {
  return z.string().max(bytes).refine((text) => encoder.encode(text).length <= bytes, { message: `at most ${bytes} bytes in UTF-8` });
}
