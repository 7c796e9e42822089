import { z } from 'zod';

/** `frameMs` → `--frame-ms`: an option as the user types it. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** A whole number from the text typed, within [min, max]. */
export function wholeNumber(min: number, max = Infinity): z.ZodCoercedNumber<unknown> {
  const error = max === Infinity ? `must be a whole number, ${min} or more` : `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A number of seconds above zero, fractions allowed. */
export function seconds(): z.ZodCoercedNumber<unknown> {
  const error = 'must be a number of seconds above 0';
  return z.coerce.number({ error }).positive({ error });
}

/** One of a few numbers, e.g. Opus frame sizes. */
export function oneOf<const T extends readonly [number, number, ...number[]]>(values: T) {
  const error = `must be ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
  return z.coerce.number({ error }).pipe(z.literal(values, { error }));
}

/**
 * Checks a command's options (as commander hands them over, camelCased);
 * throws one line per bad option, naming it as the user typed it and saying
 * what it allows. Values are not echoed: some options are passwords.
 */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]);
    if (!lines.has(key)) lines.set(key, `${flagName(key)}: ${issue.message}`);
  }
  throw new Error([...lines.values()].join('\n'));
}

/** `on` or `off`, as typed, to a boolean. */
export function onOff(): z.ZodPipe<z.ZodEnum<{ on: 'on'; off: 'off' }>, z.ZodTransform<boolean, 'on' | 'off'>> {
  return z.enum(['on', 'off'], { error: 'must be on or off' }).transform((value) => value === 'on');
}
