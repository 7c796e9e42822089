import { ChatLink } from '../../../server/protocol/chat/chat-link.js';
import { decodeUtf8 } from '../../../server/protocol/bytes.js';
import { openChatText, sealChatText } from '../../../server/protocol/chat/chat-crypto.js';
import { decodeChatDelivery, encodeChatPost, type ChatDelivery } from '../../../server/protocol/chat/chat-messages.js';
import { CHAT_LIMITS, chatTextProblem, type ChatTextProblem } from '../../../server/protocol/chat/chat-text.js';
import type { ChatAck, ChatChunk, ChatReady, SessionMessage } from '../../../server/protocol/session-messages.js';
import { TokenBucket } from '../../../server/shared/token-bucket.js';

/** Why a post was not sent: the text, the pace, or a relay that does not carry chat (yet, or at all). */
export type ChatPostProblem = ChatTextProblem | 'tooFast' | 'unavailable';

export type ChatPostResult = { ok: true; tag: number } | { ok: false; problem: ChatPostProblem };

/** A message of the room as this client reads it. */
export interface ChatArrival {
  /** Which of the relay's logs `index` counts in (CHAT_READY's history id). */
  historyId: number;
  index: number;
  sentAtSeconds: number;
  senderId: number;
  senderName: string;
  /** Null when it cannot be read: sealed under another key, not valid text, or plain text in a room with a secret. */
  text: string | null;
  history: boolean;
  /** Our own post coming back: `tag` is the one `post` returned. */
  own: boolean;
  tag: number;
}

export type ChatEvent =
  | { kind: 'ready'; maxChars: number; historyId: number }
  | { kind: 'message'; message: ChatArrival }
  /** A post the channel gave up on: it never reached the relay, or its confirmation never came back. */
  | { kind: 'failed'; tag: number };

export interface SessionChatOptions {
  /** The room's chat key (server/protocol/chat/chat-crypto.ts), or null in a room without a secret. */
  chatKey: Buffer | null;
  selfId: number;
  selfSalt: Uint8Array;
  /** Sends a session message, sealed under the session key, to the relay. */
  send: (message: SessionMessage) => void;
  /** Hands out post tags; the session's, so that tags stay unique across its reconnections. */
  nextTag: () => number;
}

/**
 * One session's text chat, client side: posts sealed for the room (or plain
 * where the room has no secret) and sent as chunks on the reliable chat
 * channel, and the room's messages opened as they come. Pure: the session
 * passes the time, feeds in what arrives, and polls for retransmissions.
 */
export class SessionChat {
  private readonly link = new ChatLink();
  private readonly pace: TokenBucket;
  private ready: { historyId: number } | undefined;
  private readonly tagsByHandle = new Map<number, number>();

  constructor(
    private readonly options: SessionChatOptions,
    now: number,
  ) {
    this.pace = new TokenBucket(CHAT_LIMITS.postsPerSecond, CHAT_LIMITS.postBurst, now);
  }

  /** Whether the relay said it carries chat (an older relay never does). */
  get available(): boolean {
    return this.ready !== undefined;
  }

  post(text: string, now: number): ChatPostResult {
    if (!this.ready) return { ok: false, problem: 'unavailable' };
    const problem = chatTextProblem(text);
    if (problem) return { ok: false, problem };
    if (!this.pace.take(now)) return { ok: false, problem: 'tooFast' };
    const tag = this.options.nextTag();
    const { chatKey, selfSalt } = this.options;
    const body = chatKey ? sealChatText(chatKey, selfSalt, text) : Buffer.from(text, 'utf8');
    const handle = this.link.send(encodeChatPost({ tag, sealed: chatKey !== null, body }));
    this.tagsByHandle.set(handle, tag);
    this.flush(now);
    return { ok: true, tag };
  }

  receive(message: ChatChunk | ChatAck | ChatReady, now: number): ChatEvent[] {
    if (message.kind === 'chatReady') {
      // Answered at once, so the relay stops repeating it (it repeats until it hears from us on this channel).
      this.link.oweAck();
      this.flush(now);
      if (this.ready?.historyId === message.historyId) return [];
      this.ready = { historyId: message.historyId };
      return [{ kind: 'ready', maxChars: message.maxChars, historyId: message.historyId }];
    }
    const events: ChatEvent[] = [];
    for (const whole of this.link.receive(message).messages) {
      let delivery: ChatDelivery;
      try {
        delivery = decodeChatDelivery(whole);
      } catch {
        continue;
      }
      events.push({ kind: 'message', message: this.read(delivery) });
    }
    this.flush(now);
    return events;
  }

  /** Retransmissions due, and posts given up since the last poll. */
  poll(now: number): ChatEvent[] {
    this.flush(now);
    const events: ChatEvent[] = [];
    for (const handle of this.link.takeFailed()) {
      const tag = this.tagsByHandle.get(handle);
      // Absent when the post's confirmation came back after all (only the relay's ack was lost).
      if (tag === undefined) continue;
      this.tagsByHandle.delete(handle);
      events.push({ kind: 'failed', tag });
    }
    return events;
  }

  /** Posts sent and not yet confirmed: what a lost session takes with it. */
  unconfirmed(): number[] {
    return [...this.tagsByHandle.values()];
  }

  nextDueAt(now: number): number | undefined {
    return this.link.nextDueAt(now);
  }

  setRoundTrip(rttMs: number): void {
    this.link.setRoundTrip(rttMs);
  }

  private read(delivery: ChatDelivery): ChatArrival {
    const { chatKey, selfId, selfSalt } = this.options;
    const own = delivery.senderId === selfId && Buffer.from(delivery.senderSalt).equals(Buffer.from(selfSalt));
    let text: string | null = null;
    // Only the form the room uses is read: plain text in a room with a secret could come from the relay itself.
    if (delivery.sealed && chatKey) text = openChatText(chatKey, delivery.senderSalt, delivery.body);
    if (!delivery.sealed && !chatKey) text = decodeUtf8(delivery.body);
    if (text !== null && chatTextProblem(text) !== undefined) text = null;
    if (own) for (const [handle, tag] of this.tagsByHandle) if (tag === delivery.tag) this.tagsByHandle.delete(handle);
    return {
      historyId: this.ready?.historyId ?? 0,
      index: delivery.index,
      sentAtSeconds: delivery.sentAtSeconds,
      senderId: delivery.senderId,
      senderName: delivery.senderName,
      text,
      history: delivery.history,
      own,
      tag: delivery.tag,
    };
  }

  private flush(now: number): void {
    for (const message of this.link.poll(now)) this.options.send(message);
  }
}
