/**
 * How long names may be, as the wire counts them: UTF-8 bytes, not characters
 * ("Zoë" is 4 bytes). These are the protocol's own limits (server/protocol's
 * LIMITS, which this contract may not import; test/api/name-limits.test.ts
 * keeps the two equal), so a name the window accepts is one the relay accepts.
 * Main's schemas (utf8-text.ts) and the window's forms both count with
 * utf8Bytes(); this file loads nothing, so the window can use it as it is.
 */
export const NAME_LIMITS = { displayNameBytes: 32, roomNameBytes: 64 } as const;

const encoder = new TextEncoder();

/** The length of `text` in UTF-8 bytes, as the relay counts it. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}
