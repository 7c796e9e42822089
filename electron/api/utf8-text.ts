import { z } from 'zod';
import { utf8Bytes } from './name-limits.js';

/** A string of at most `bytes` bytes in UTF-8. */
export function utf8Text(bytes: number): z.ZodString {
  return z.string().max(bytes).refine((text) => utf8Bytes(text) <= bytes, { message: `at most ${bytes} bytes in UTF-8` });
}
