import type { ChatAck, ChatChunk, ChatReady } from '../../../server/protocol/session-messages.js';
import type { Clock } from '../../../server/shared/clock.js';
import { SessionChat, type ChatEvent, type ChatPostResult, type SessionChatOptions } from './session-chat.js';

/** Events held for a listener that has not come yet: CHAT_READY and a full room's history, with room to spare. */
const BACKLOG_LIMIT = 256;

/**
 * A session's chat across its links: a fresh SessionChat for each link the
 * session opens (each has its own channel and keys), and the one timer that
 * sends its retransmissions when due. Posts still unconfirmed when a link is
 * lost are reported failed; tags stay unique for the whole session. What it
 * says before anyone listens (the relay's CHAT_READY and history arrive with
 * the join, before the app has the session) is held and handed to the first
 * listener.
 */
export class ChatChannel {
  private chat: SessionChat | undefined;
  private timer: NodeJS.Timeout | undefined;
  private tags = 1;
  private listener: ((event: ChatEvent) => void) | undefined;
  private readonly backlog: ChatEvent[] = [];

  constructor(private readonly clock: Clock) {}

  /** Everything the chat says from now on, after what it said before anyone listened. One listener. */
  listen(listener: (event: ChatEvent) => void): void {
    this.listener = listener;
    for (const event of this.backlog.splice(0)) listener(event);
  }

  get available(): boolean {
    return this.chat?.available ?? false;
  }

  /** A new link is up: chat on it. */
  attach(options: Omit<SessionChatOptions, 'nextTag'>): void {
    this.detach();
    this.chat = new SessionChat({ ...options, nextTag: () => this.tags++ }, this.clock.now());
  }

  /** The link is gone (lost, or left): what was not confirmed failed. */
  detach(): void {
    clearTimeout(this.timer);
    const chat = this.chat;
    this.chat = undefined;
    for (const tag of chat?.unconfirmed() ?? []) this.emit({ kind: 'failed', tag });
  }

  post(text: string): ChatPostResult {
    if (!this.chat) return { ok: false, problem: 'unavailable' };
    const result = this.chat.post(text, this.clock.now());
    this.schedule();
    return result;
  }

  receive(message: ChatChunk | ChatAck | ChatReady): void {
    if (!this.chat) return;
    for (const event of this.chat.receive(message, this.clock.now())) this.emit(event);
    this.schedule();
  }

  setRoundTrip(rttMs: number): void {
    this.chat?.setRoundTrip(rttMs);
  }

  private emit(event: ChatEvent): void {
    if (this.listener) this.listener(event);
    else if (this.backlog.length < BACKLOG_LIMIT) this.backlog.push(event);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const chat = this.chat;
    if (!chat) return;
    const now = this.clock.now();
    const due = chat.nextDueAt(now);
    if (due === undefined) return;
    this.timer = setTimeout(() => {
      if (this.chat !== chat) return;
      for (const event of chat.poll(this.clock.now())) this.emit(event);
      this.schedule();
    }, Math.max(0, due - now));
    this.timer.unref();
  }
}
