import { describe, expect, it } from 'vitest';
import { ChatLink } from '../../server/protocol/chat/chat-link.js';
import { chatKey } from '../../server/protocol/chat/chat-crypto.js';
import { encodeChatDelivery } from '../../server/protocol/chat/chat-messages.js';
import type { SessionMessage } from '../../server/protocol/session-messages.js';
import { RelayChat, type ChatMember, type ChatRoom } from '../../server/relay/chat/relay-chat.js';
import { SessionChat, type ChatEvent } from '../../electron/net/chat/session-chat.js';

interface Room extends ChatRoom {
  members: Client[];
}

/** A member on both ends: the relay's view of it, and its own SessionChat, joined by an in-order, lossless hop. */
class Client implements ChatMember {
  readonly mediaSalt: Uint8Array;
  readonly chat: SessionChat;
  readonly events: ChatEvent[] = [];
  private tags = 1;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly room: Room,
    relay: Relay,
    key: Buffer | null,
  ) {
    this.mediaSalt = new Uint8Array(16).fill(id);
    this.chat = new SessionChat(
      {
        chatKey: key,
        selfId: id,
        selfSalt: this.mediaSalt,
        send: (message) => queueMicrotask(() => relay.fromClient(this, message)),
        nextTag: () => this.tags++,
      },
      relay.now,
    );
  }

  texts(): (string | null)[] {
    return this.events.flatMap((e) => (e.kind === 'message' ? [e.message.text] : []));
  }
}

class Relay {
  now = 0;
  readonly chat = new RelayChat<Client>((member, message) => this.toClient(member, message), () => 1_796_000_000);

  join(client: Client): Client {
    client.room.members.push(client);
    this.chat.joined(client, this.now);
    return client;
  }

  fromClient(client: Client, message: SessionMessage): void {
    if (message.kind === 'chatChunk' || message.kind === 'chatAck') this.chat.receive(client, message, this.now);
  }

  private toClient(client: Client, message: SessionMessage): void {
    if (message.kind === 'chatChunk' || message.kind === 'chatAck' || message.kind === 'chatReady') {
      queueMicrotask(() => client.events.push(...client.chat.receive(message, this.now)));
    }
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const roomKey = Buffer.alloc(32, 5);

describe("a session's text chat, against the relay's", () => {
  it('says the relay does not carry chat until it says it does', async () => {
    const relay = new Relay();
    const room: Room = { name: 'Lobby', encrypted: false, members: [] };
    const ana = new Client(1, 'Ana', room, relay, null);
    expect(ana.chat.post('hello?', 0)).toEqual({ ok: false, problem: 'unavailable' });
    relay.join(ana);
    await settle();
    expect(ana.chat.available).toBe(true);
    expect(ana.events).toEqual([{ kind: 'ready', maxChars: 2_000, historyId: expect.any(Number) }]);
  });

  it('seals for the room: members read it, the relay holds only ciphertext, and the sender gets its own post back', async () => {
    const relay = new Relay();
    const room: Room = { name: 'Vault', encrypted: true, members: [] };
    const key = chatKey(roomKey);
    const ana = relay.join(new Client(1, 'Ana', room, relay, key));
    const ben = relay.join(new Client(2, 'Ben', room, relay, key));
    await settle();
    expect(ana.chat.post('meet at the usual place', relay.now)).toEqual({ ok: true, tag: 1 });
    await settle();
    expect(ben.texts()).toEqual(['meet at the usual place']);
    const own = ana.events.find((e) => e.kind === 'message');
    expect(own).toMatchObject({ kind: 'message', message: { own: true, tag: 1, senderName: 'Ana', text: 'meet at the usual place', index: 1, history: false } });
    const late = relay.join(new Client(3, 'Cy', room, relay, key));
    await settle();
    expect(late.events.filter((e) => e.kind === 'message').map((e) => e.kind === 'message' && [e.message.text, e.message.history, e.message.own])).toEqual([['meet at the usual place', true, false]]);
  });

  it('keeps to the pace the relay enforces, and refuses text the relay would', async () => {
    const relay = new Relay();
    const room: Room = { name: 'Lobby', encrypted: false, members: [] };
    const ana = relay.join(new Client(1, 'Ana', room, relay, null));
    await settle();
    const results = Array.from({ length: 11 }, (_, i) => ana.chat.post(`m${i}`, 0));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results[10]).toEqual({ ok: false, problem: 'tooFast' });
    relay.now = 500;
    expect(ana.chat.post('later', 500)).toEqual({ ok: true, tag: 11 });
    expect(ana.chat.post('\u0007', 2_000)).toEqual({ ok: false, problem: 'controlCharacters' });
    expect(ana.chat.post('x'.repeat(2_001), 2_000)).toEqual({ ok: false, problem: 'tooLong' });
    await settle();
    expect(relay.chat.counts.refused).toEqual({});
  });

  it('will not read plain text in a room with a secret, nor a body sealed under another key', () => {
    const sent: SessionMessage[] = [];
    const chat = new SessionChat({ chatKey: chatKey(roomKey), selfId: 1, selfSalt: new Uint8Array(16), send: (m) => sent.push(m), nextTag: () => 1 }, 0);
    const fakeRelay = new ChatLink();
    expect(chat.receive({ kind: 'chatReady', maxChars: 2_000, historyId: 9 }, 0)).toHaveLength(1);
    const forged = { index: 1, sentAtSeconds: 0, senderId: 2, senderSalt: new Uint8Array(16).fill(2), senderName: 'Relay', tag: 1, history: false };
    fakeRelay.send(encodeChatDelivery({ ...forged, sealed: false, body: Buffer.from('trust me') }));
    fakeRelay.send(encodeChatDelivery({ ...forged, index: 2, sealed: true, body: Buffer.alloc(40, 1) }));
    const events = fakeRelay.poll(0).flatMap((m) => (m.kind === 'chatChunk' ? chat.receive(m, 0) : []));
    expect(events.map((e) => e.kind === 'message' && [e.message.index, e.message.text])).toEqual([
      [1, null],
      [2, null],
    ]);
  });
});
