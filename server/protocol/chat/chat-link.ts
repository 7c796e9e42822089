import type { ChatAck, ChatChunk } from '../session-messages.js';
import { ReliableReceiver } from '../reliable/reliable-receiver.js';
import { DEFAULT_RELIABLE_SENDER, ReliableSender, type ReliableSenderOptions } from '../reliable/reliable-sender.js';
import { ChunkAssembler, MAX_CHAT_CHUNK_BYTES, splitIntoChunks, type Chunk, type ChunkRefusal } from './chunks.js';
import { MAX_CHAT_MESSAGE_BYTES } from './chat-messages.js';

interface OutgoingChunk extends Chunk {
  /** The caller's handle for the message this chunk belongs to. */
  message: number;
}

/** What arrived: whole messages, and the messages refused on the way (oversized, or cut short by a give-up). */
export interface ChatArrival {
  messages: Buffer[];
  refused: ChunkRefusal[];
}

/**
 * One end of a session's chat: whole messages in and out, carried as chunks
 * on a reliable, ordered channel, with the acks the other end needs. The relay
 * keeps one per member, a client one per session. Pure: the caller passes the
 * time, polls for what to send (`poll`), and feeds in what arrives (`receive`).
 */
export class ChatLink {
  private readonly sender: ReliableSender<OutgoingChunk>;
  private readonly receiver = new ReliableReceiver<Chunk>({ window: DEFAULT_RELIABLE_SENDER.window });
  private readonly assembler = new ChunkAssembler(MAX_CHAT_MESSAGE_BYTES);
  private ackOwed = false;
  private nextMessage = 1;
  private readonly failed = new Set<number>();

  constructor(options: ReliableSenderOptions = DEFAULT_RELIABLE_SENDER) {
    this.sender = new ReliableSender(options);
  }

  /** Queues one whole message; returns a handle that `takeFailed` names if it is given up. */
  send(message: Uint8Array): number {
    const handle = this.nextMessage++;
    for (const chunk of splitIntoChunks(message, MAX_CHAT_CHUNK_BYTES)) this.sender.send({ ...chunk, message: handle });
    return handle;
  }

  receive(message: ChatChunk | ChatAck): ChatArrival {
    if (message.kind === 'chatAck') {
      this.sender.acknowledge(message);
      return { messages: [], refused: [] };
    }
    // Every chunk is acked, copies too: a copy means the last ack was lost.
    this.ackOwed = true;
    const arrival = this.receiver.receive(message.seq, message.floor, { bytes: message.bytes, first: message.first, more: message.more });
    const result: ChatArrival = { messages: [], refused: [] };
    for (const { payload, afterGap } of arrival.delivered) {
      const assembled = this.assembler.add(payload, afterGap);
      if (assembled.refused) result.refused.push(assembled.refused);
      if (assembled.message) result.messages.push(assembled.message);
    }
    return result;
  }

  /** What to send now: chunks due (first sends, then retransmissions), then an ack if one is owed. */
  poll(nowMs: number): (ChatChunk | ChatAck)[] {
    const out: (ChatChunk | ChatAck)[] = this.sender
      .poll(nowMs)
      .map((t) => ({ kind: 'chatChunk', seq: t.seq, floor: t.floor, first: t.payload.first, more: t.payload.more, bytes: t.payload.bytes }));
    for (const given of this.sender.takeAbandoned()) this.failed.add(given.payload.message);
    if (this.ackOwed) {
      this.ackOwed = false;
      out.push({ kind: 'chatAck', ...this.receiver.ack() });
    }
    return out;
  }

  /** Asks for an ack with the next poll even though nothing arrived: it tells the other end that this one listens. */
  oweAck(): void {
    this.ackOwed = true;
  }

  /** When to poll next, or undefined when nothing waits (an owed ack is due now). */
  nextDueAt(nowMs: number): number | undefined {
    return this.ackOwed ? nowMs : this.sender.nextDueAt(nowMs);
  }

  /** Handles of messages given up since the last call (at least one chunk never got through). */
  takeFailed(): number[] {
    const handles = [...this.failed];
    this.failed.clear();
    return handles;
  }

  setRoundTrip(rttMs: number): void {
    this.sender.setRoundTrip(rttMs);
  }

  /** Messages (as chunks) not yet acknowledged. */
  get pendingChunks(): number {
    return this.sender.pending;
  }
}
