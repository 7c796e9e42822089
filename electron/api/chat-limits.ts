/**
 * How long a chat message may be: the protocol's own limit (server/protocol/chat/chat-text.ts's CHAT_LIMITS, which
 * this contract may not import; test/api/chat-limits.test.ts keeps the two equal), counted in characters
 * (Unicode code points) as the relay counts them, so a message the window accepts is one the relay accepts.
 */
export const CHAT_LIMITS = { maxChars: 2_000, maxTextBytes: 8_000 } as const;

/** The length of `text` in characters as the limit counts them (an emoji beyond the BMP is one). */
export function chatCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
