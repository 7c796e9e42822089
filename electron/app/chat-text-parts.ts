import type { ChatTextPart } from '../api/contract.js';

/**
 * A web address in running text: http or https, up to the next space or
 * character no address ends with. Trailing punctuation that belongs to the
 * sentence ("see https://example.com/x.") is left out of the link.
 */
const WEB_ADDRESS = /\bhttps?:\/\/[^\s<>"'`]+/giu;
const TRAILING = /[.,;:!?)\]}'"»]+$/u;

/** Only web links may be opened from chat; anything else a message holds is text. */
export function isOpenableChatLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

/** Splits a message into text and the web links in it, in order; joined back, the parts are the message. */
export function chatTextParts(text: string): ChatTextPart[] {
  const parts: ChatTextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const raw = match[0].replace(TRAILING, '');
    const start = match.index;
    if (!isOpenableChatLink(raw)) continue;
    if (start > at) parts.push({ kind: 'text', text: text.slice(at, start) });
    parts.push({ kind: 'link', text: raw, url: new URL(raw).href });
    at = start + raw.length;
  }
  if (at < text.length || parts.length === 0) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}
