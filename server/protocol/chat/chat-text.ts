/** What a chat message may hold, as every client and the relay check it. */
export const CHAT_LIMITS = {
  /** Characters (Unicode code points) in one message. */
  maxChars: 2_000,
  /** The most UTF-8 a message of maxChars can take. */
  maxTextBytes: 2_000 * 4,
  /**
   * Posts per member, sustained per second and at once: a quick typist's pace and a pasted list, not a flood.
   * Clients keep to it before sending; the relay allows twice the burst, so that posts the network delayed and
   * then delivered together are not refused.
   */
  postsPerSecond: 2,
  postBurst: 10,
} as const;

export type ChatTextProblem = 'empty' | 'tooLong' | 'controlCharacters';

/**
 * Why `text` cannot be sent, or undefined when it can. Line breaks and tabs
 * are text; other control characters (which could hide or reorder what
 * others see, or ring a terminal's bell in the CLI) are not.
 */
export function chatTextProblem(text: string): ChatTextProblem | undefined {
  if (text.trim().length === 0) return 'empty';
  if (codePoints(text) > CHAT_LIMITS.maxChars) return 'tooLong';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text)) return 'controlCharacters';
  return undefined;
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
