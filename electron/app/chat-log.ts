import { CHAT_LOG_LIMIT, type ChatMessageView, type ChatView } from '../api/contract.js';
import type { ChatArrival, ChatEvent } from '../net/chat/session-chat.js';
import { chatTextParts } from './chat-text-parts.js';

interface Entry {
  view: ChatMessageView;
  /** While ours is unconfirmed: the tag the session gave it. */
  tag: number | undefined;
  /** `historyId:index`, once the relay numbered it. */
  numbered: string | undefined;
}

/**
 * One call's text chat as the window shows it: our posts from the moment we
 * send them (sending, then sent or failed), the room's messages once each
 * (history that comes again after a reconnect is recognised by its log and
 * number), whether each names us, and how many came since the window last
 * showed them. Bounded: the oldest go first.
 */
export class ChatLog {
  private readonly entries: Entry[] = [];
  /** `historyId:index` of every message in the list, so one that arrives again is not shown twice. */
  private readonly seen = new Set<string>();
  private unread = 0;
  private available = false;
  private localKeys = 0;

  constructor(
    private readonly selfName: string,
    private readonly limit = CHAT_LOG_LIMIT,
  ) {}

  /** We posted `text`; the session gave it `tag`. */
  posted(tag: number, text: string, nowMs: number): void {
    this.add({ view: this.messageView(`local-${++this.localKeys}`, this.selfName, true, text, nowMs, 'sending', false), tag, numbered: undefined });
  }

  /** Takes what the session's chat said; returns the message when it is a new one from someone else (to notify). */
  apply(event: ChatEvent): ChatMessageView | undefined {
    switch (event.kind) {
      case 'ready':
        this.available = true;
        return undefined;
      case 'failed': {
        const entry = this.entries.find((e) => e.tag === event.tag);
        if (entry) {
          entry.view = { ...entry.view, state: 'failed' };
          entry.tag = undefined;
        }
        return undefined;
      }
      case 'message':
        return this.arrived(event.message);
    }
  }

  /** The window showed the chat. */
  markRead(): void {
    this.unread = 0;
  }

  view(): ChatView {
    return { available: this.available, messages: this.entries.map((e) => e.view), unread: this.unread };
  }

  private messageView(key: string, senderName: string, own: boolean, text: string | null, sentAt: number, state: ChatMessageView['state'], history: boolean): ChatMessageView {
    const parts = text === null ? null : chatTextParts(text);
    return { key, senderName, own, parts, sentAt, state, mentionsMe: !own && text !== null && mentions(text, this.selfName), history };
  }

  private arrived(message: ChatArrival): ChatMessageView | undefined {
    const key = `${message.historyId}:${message.index}`;
    if (this.seen.has(key)) return undefined;
    const sentAt = message.sentAtSeconds * 1000;
    if (message.own) {
      const mine = this.entries.find((e) => e.tag === message.tag);
      if (mine) {
        // Confirmed: it keeps its place and key (the window keeps its row), and takes the relay's time.
        mine.view = { ...mine.view, state: 'sent', sentAt };
        mine.tag = undefined;
        mine.numbered = key;
        this.seen.add(key);
        return undefined;
      }
    }
    const view = this.messageView(key, message.senderName, message.own, message.text, sentAt, 'sent', message.history);
    this.add({ view, tag: undefined, numbered: key });
    this.seen.add(key);
    if (message.own || message.history) return undefined;
    this.unread++;
    return view;
  }

  private add(entry: Entry): void {
    this.entries.push(entry);
    while (this.entries.length > this.limit) {
      const dropped = this.entries.shift()!;
      if (dropped.numbered) this.seen.delete(dropped.numbered);
    }
  }
}

/** Whether `text` names `name` as a word, any case ("@Ana", "ana:" and "Ana!" do; "Banana" does not). */
export function mentions(text: string, name: string): boolean {
  const wanted = name.normalize('NFC').toLocaleLowerCase();
  if (wanted.trim() === '') return false;
  const haystack = text.normalize('NFC').toLocaleLowerCase();
  for (let at = haystack.indexOf(wanted); at >= 0; at = haystack.indexOf(wanted, at + 1)) {
    const before = haystack.slice(0, at).at(-1);
    const after = haystack.slice(at + wanted.length).at(0);
    if (!isWordCharacter(before) && !isWordCharacter(after)) return true;
  }
  return false;
}

function isWordCharacter(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_]/u.test(char);
}
