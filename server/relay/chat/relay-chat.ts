import { ChatLink } from '../../protocol/chat/chat-link.js';
import { decodeUtf8 } from '../../protocol/bytes.js';
import { decodeChatPost, encodeChatDelivery, type ChatDelivery, type ChatPost } from '../../protocol/chat/chat-messages.js';
import { CHAT_LIMITS, chatTextProblem } from '../../protocol/chat/chat-text.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { ChatAck, ChatChunk, SessionMessage } from '../../protocol/session-messages.js';
import { TokenBucket } from '../../shared/token-bucket.js';
import { ChatHistory, DEFAULT_CHAT_HISTORY, type ChatHistoryLimits } from './chat-history.js';

/** What the relay's chat needs of a member and its room (the relay's Member and Room have it). */
export interface ChatMember {
  readonly id: number;
  readonly name: string;
  readonly mediaSalt: Uint8Array;
  readonly room: ChatRoom;
}

export interface ChatRoom {
  readonly name: string;
  readonly encrypted: boolean;
  readonly members: readonly ChatMember[];
}

export interface ChatLimits {
  history: ChatHistoryLimits;
  /** Posts per member: sustained per second, and at once. */
  postsPerSecond: number;
  postBurst: number;
  /** Chunks waiting for one member beyond this, and deliveries to it are dropped: a member that never acks cannot grow the relay. */
  maxBacklogChunks: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  history: DEFAULT_CHAT_HISTORY,
  postsPerSecond: CHAT_LIMITS.postsPerSecond,
  postBurst: 2 * CHAT_LIMITS.postBurst,
  maxBacklogChunks: 512,
};

/** Why a post or a delivery went nowhere, counted by name. */
export type ChatRefusal = 'malformed' | 'oversized' | 'incomplete' | 'rate_limited' | 'wrong_encryption' | 'backlog';

export interface ChatCounts {
  posts: number;
  deliveries: number;
  refused: Partial<Record<ChatRefusal, number>>;
}

interface MemberChat {
  link: ChatLink;
  posts: TokenBucket;
  /** The member has sent on the chat channel, so it knows this relay carries chat. */
  heard: boolean;
}

/**
 * The relay's side of text chat. Each member has a chat link (reliable,
 * ordered, in chunks); a post that arrives whole is checked, numbered in its
 * room's order, kept in the room's history and delivered to every member of
 * the room, its sender too (which is how a sender learns it went out, and in
 * what order). In a room with a secret the relay handles only ciphertext.
 */
export class RelayChat<M extends ChatMember> {
  private readonly members = new Map<M, MemberChat>();
  /** Members with chunks not yet acknowledged: the only ones a poll need look at (most members never chat). */
  private readonly unsettled = new Set<M>();
  private readonly history: ChatHistory;
  readonly counts: ChatCounts = { posts: 0, deliveries: 0, refused: {} };

  constructor(
    private readonly send: (member: M, message: SessionMessage) => void,
    /** Whole seconds since the Unix epoch, stamped on each message. */
    private readonly wallClockSeconds: () => number,
    private readonly limits: ChatLimits = DEFAULT_CHAT_LIMITS,
  ) {
    this.history = new ChatHistory(limits.history);
  }

  /** A member is in: tell it this relay carries chat, then hand it the room's recent messages. */
  joined(member: M, now: number): void {
    const chat: MemberChat = { link: new ChatLink(), posts: new TokenBucket(this.limits.postsPerSecond, this.limits.postBurst, now), heard: false };
    this.members.set(member, chat);
    this.sendReady(member);
    for (const message of this.history.recent(member.room.name)) this.deliver(member, chat, { ...message, history: true });
    this.flush(member, chat, now);
  }

  /**
   * The member pinged. A client answers CHAT_READY on the chat channel at once, so until it has, the first
   * CHAT_READY may have been lost (or arrived before the client held its keys): say it again.
   */
  pinged(member: M): void {
    const chat = this.members.get(member);
    if (chat && !chat.heard) this.sendReady(member);
  }

  /**
   * A member is gone from `room` (its own, unless it moved out of another; call this once it is out). The room's
   * history goes too once the room is empty.
   */
  left(member: M, room: ChatRoom = member.room): void {
    this.members.delete(member);
    this.unsettled.delete(member);
    if (room.members.length === 0) this.history.forgetRoom(room.name);
  }

  receive(member: M, message: ChatChunk | ChatAck, now: number): void {
    const chat = this.members.get(member);
    if (!chat) return;
    chat.heard = true;
    const arrival = chat.link.receive(message);
    for (const refusal of arrival.refused) this.refuse(refusal);
    for (const whole of arrival.messages) this.post(member, chat, whole, now);
    this.flush(member, chat, now);
  }

  /** Retransmissions that fell due; the relay calls this from its maintenance tick. */
  poll(now: number): void {
    for (const member of this.unsettled) {
      const chat = this.members.get(member)!;
      const due = chat.link.nextDueAt(now);
      if (due !== undefined && due <= now) this.flush(member, chat, now);
      // A member whose messages the relay gave up on still gets the later ones; there is no one to tell.
      chat.link.takeFailed();
    }
  }

  setRoundTrip(member: M, rttMs: number): void {
    this.members.get(member)?.link.setRoundTrip(rttMs);
  }

  get historyBytes(): number {
    return this.history.totalBytes;
  }

  private sendReady(member: M): void {
    this.send(member, { kind: 'chatReady', maxChars: CHAT_LIMITS.maxChars, historyId: this.history.logId(member.room.name) });
  }

  private post(sender: M, senderChat: MemberChat, whole: Buffer, now: number): void {
    if (!senderChat.posts.take(now)) return this.refuse('rate_limited');
    let post: ChatPost;
    try {
      post = decodeChatPost(whole);
    } catch (error) {
      return this.refuse(error instanceof ProtocolError && error.reason === 'oversized' ? 'oversized' : 'malformed');
    }
    const room = sender.room;
    // Plain text in a room with a secret would be read by the relay while its members think it private;
    // a sealed body in a room without one could be opened by nobody.
    if (post.sealed !== room.encrypted) return this.refuse('wrong_encryption');
    if (!post.sealed) {
      const text = decodeUtf8(post.body);
      if (text === null || chatTextProblem(text) !== undefined) return this.refuse('malformed');
    }
    const delivery: ChatDelivery = {
      index: this.history.nextIndex(room.name),
      sentAtSeconds: this.wallClockSeconds(),
      senderId: sender.id,
      senderSalt: sender.mediaSalt,
      senderName: sender.name,
      tag: post.tag,
      sealed: post.sealed,
      history: false,
      body: post.body,
    };
    this.counts.posts++;
    this.history.keep(room.name, delivery);
    for (const member of room.members as readonly M[]) {
      const chat = this.members.get(member);
      if (!chat) continue;
      this.deliver(member, chat, delivery);
      if (member !== sender) this.flush(member, chat, now);
    }
  }

  private deliver(member: M, chat: MemberChat, delivery: ChatDelivery): void {
    if (chat.link.pendingChunks >= this.limits.maxBacklogChunks) return this.refuse('backlog');
    chat.link.send(encodeChatDelivery(delivery));
    this.counts.deliveries++;
  }

  private flush(member: M, chat: MemberChat, now: number): void {
    for (const message of chat.link.poll(now)) this.send(member, message);
    if (chat.link.pendingChunks > 0) this.unsettled.add(member);
    else this.unsettled.delete(member);
  }

  private refuse(reason: ChatRefusal): void {
    this.counts.refused[reason] = (this.counts.refused[reason] ?? 0) + 1;
  }
}
