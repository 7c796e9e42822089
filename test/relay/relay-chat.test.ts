import { describe, expect, it } from 'vitest';
import { ChatLink } from '../../server/protocol/chat/chat-link.js';
import { decodeChatDelivery, encodeChatPost, type ChatDelivery } from '../../server/protocol/chat/chat-messages.js';
import type { SessionMessage } from '../../server/protocol/session-messages.js';
import { ChatHistory } from '../../server/relay/chat/chat-history.js';
import { DEFAULT_CHAT_LIMITS, RelayChat, type ChatMember, type ChatRoom } from '../../server/relay/chat/relay-chat.js';

interface FakeRoom extends ChatRoom {
  members: Person[];
}

/** A member as the relay's chat sees it, with the client's own chat link on the other end of the session. */
class Person implements ChatMember {
  readonly mediaSalt: Uint8Array;
  readonly client = new ChatLink();
  readonly ready: number[] = [];
  readonly historyIds: number[] = [];
  private nextTag = 1;
  readonly got: ChatDelivery[] = [];
  /** Set false and the client stops answering: it neither acks nor reads. */
  answering = true;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly room: FakeRoom,
  ) {
    this.mediaSalt = new Uint8Array(16).fill(id);
  }

  takeTag(): number {
    return this.nextTag++;
  }
}

function room(name: string, encrypted = false): FakeRoom {
  return { name, encrypted, members: [] };
}

/** The relay's chat and its members, with every message carried at once and in order (the links' loss handling is tested elsewhere). */
class Relay {
  now = 0;
  seconds = 1_796_000_000;
  readonly chat: RelayChat<Person>;

  constructor(limits = DEFAULT_CHAT_LIMITS) {
    this.chat = new RelayChat<Person>((member, message) => this.toClient(member, message), () => this.seconds, limits);
  }

  join(person: Person): Person {
    person.room.members.push(person);
    this.chat.joined(person, this.now);
    return person;
  }

  leave(person: Person): void {
    person.room.members.splice(person.room.members.indexOf(person), 1);
    this.chat.left(person);
  }

  post(person: Person, body: string | Uint8Array, sealed = person.room.encrypted): void {
    person.client.send(encodeChatPost({ tag: person.takeTag(), sealed, body: typeof body === 'string' ? Buffer.from(body) : body }));
    this.fromClient(person);
  }

  private fromClient(person: Person): void {
    for (const message of person.client.poll(this.now)) this.chat.receive(person, message, this.now);
  }

  private toClient(person: Person, message: SessionMessage): void {
    if (!person.answering) return;
    if (message.kind === 'chatReady') {
      person.ready.push(message.maxChars);
      person.historyIds.push(message.historyId);
    }
    if (message.kind !== 'chatChunk' && message.kind !== 'chatAck') return;
    for (const whole of person.client.receive(message).messages) person.got.push(decodeChatDelivery(whole));
    // The client's ack goes back at once, as a session's would on its next send.
    queueMicrotask(() => this.fromClient(person));
  }
}

const texts = (person: Person): string[] => person.got.map((d) => Buffer.from(d.body).toString('utf8'));
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("the relay's text chat", () => {
  it("numbers each post in the room's order and delivers it to everyone in the room, its sender too", async () => {
    const relay = new Relay();
    const lobby = room('Lobby');
    const ana = relay.join(new Person(1, 'Ana', lobby));
    const ben = relay.join(new Person(2, 'Ben', lobby));
    const elsewhere = relay.join(new Person(3, 'Cy', room('Ops')));
    relay.post(ana, 'hi all');
    relay.post(ben, 'hey');
    await settle();
    for (const person of [ana, ben]) {
      expect(person.ready).toEqual([2_000]);
      expect(person.got.map((d) => [d.index, d.senderId, d.senderName, d.tag, d.sentAtSeconds, d.history, d.sealed])).toEqual([
        [1, 1, 'Ana', 1, 1_796_000_000, false, false],
        [2, 2, 'Ben', 1, 1_796_000_000, false, false],
      ]);
      expect(Buffer.from(person.got[0]!.senderSalt)).toEqual(Buffer.from(ana.mediaSalt));
    }
    expect(texts(elsewhere)).toEqual([]);
    expect(relay.chat.counts).toEqual({ posts: 2, deliveries: 4, refused: {} });
  });

  it('hands a member who joins later the recent messages, marked as history, after saying it carries chat', async () => {
    const relay = new Relay();
    const lobby = room('Lobby');
    const ana = relay.join(new Person(1, 'Ana', lobby));
    relay.post(ana, 'one');
    relay.post(ana, 'two');
    const cy = relay.join(new Person(3, 'Cy', lobby));
    relay.post(ana, 'three');
    await settle();
    expect(cy.ready).toEqual([2_000]);
    expect(texts(cy)).toEqual(['one', 'two', 'three']);
    expect(cy.got.map((d) => [d.index, d.history])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it("takes a burst of twenty posts from one member (twice a client's own), then two a second", async () => {
    const relay = new Relay();
    const ana = relay.join(new Person(1, 'Ana', room('Lobby')));
    for (let i = 1; i <= 22; i++) relay.post(ana, `m${i}`);
    relay.now += 1_000;
    relay.post(ana, 'm23');
    relay.post(ana, 'm24');
    relay.post(ana, 'm25');
    await settle();
    expect(texts(ana)).toEqual([...Array.from({ length: 20 }, (_, i) => `m${i + 1}`), 'm23', 'm24']);
    expect(relay.chat.counts.refused).toEqual({ rate_limited: 3 });
  });

  it('refuses plain text in a room with a secret, a sealed body in a room without, and text with control characters', async () => {
    const relay = new Relay();
    const secret = relay.join(new Person(1, 'Ana', room('Vault', true)));
    const open = relay.join(new Person(2, 'Ben', room('Lobby')));
    relay.post(secret, 'in the clear', false);
    relay.post(open, Uint8Array.of(1, 2, 3), true);
    relay.post(open, 'beep\u0007');
    relay.post(open, Uint8Array.of(0xff, 0xfe));
    relay.post(secret, Uint8Array.of(9, 9, 9), true);
    await settle();
    expect(relay.chat.counts.refused).toEqual({ wrong_encryption: 2, malformed: 2 });
    // The relay cannot read a sealed body, so it passes on whatever a member sealed; members open it or not.
    expect(secret.got.map((d) => [...d.body])).toEqual([[9, 9, 9]]);
    expect(open.got).toEqual([]);
  });

  it('keeps 50 messages a room, and forgets a room’s messages once the room is empty', async () => {
    const relay = new Relay({ ...DEFAULT_CHAT_LIMITS, postBurst: 1_000 });
    const lobby = room('Lobby');
    const ana = relay.join(new Person(1, 'Ana', lobby));
    for (let i = 1; i <= 60; i++) relay.post(ana, `m${i}`);
    const ben = relay.join(new Person(2, 'Ben', lobby));
    await settle();
    expect(ben.got.map((d) => d.index)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    relay.leave(ana);
    relay.leave(ben);
    expect(relay.chat.historyBytes).toBe(0);
    const cy = relay.join(new Person(3, 'Cy', lobby));
    await settle();
    expect(cy.got).toEqual([]);
    // A new log: Cy, had it been here before, would know its old numbers no longer apply.
    expect(cy.historyIds[0]).not.toBe(ana.historyIds[0]);
    expect(ben.historyIds).toEqual(ana.historyIds);
  });

  it('stops queueing for a member that never acknowledges, and counts what it dropped', async () => {
    const relay = new Relay({ ...DEFAULT_CHAT_LIMITS, postBurst: 1_000, maxBacklogChunks: 5 });
    const lobby = room('Lobby');
    const ana = relay.join(new Person(1, 'Ana', lobby));
    const gone = new Person(2, 'Ben', lobby);
    gone.answering = false;
    relay.join(gone);
    for (let i = 1; i <= 8; i++) relay.post(ana, `m${i}`);
    await settle();
    expect(texts(ana)).toHaveLength(8);
    expect(relay.chat.counts.refused).toEqual({ backlog: 3 });
  });
});

describe('chat history bounds', () => {
  const message = (index: number, bytes: number): ChatDelivery => ({
    index,
    sentAtSeconds: 0,
    senderId: 1,
    senderSalt: new Uint8Array(16),
    senderName: 'Ana',
    tag: index,
    sealed: true,
    history: false,
    body: new Uint8Array(bytes),
  });

  it('drops the oldest messages of any room once the total passes its bound, and stays within it', () => {
    const history = new ChatHistory({ perRoom: 50, totalBytes: 1_000 });
    history.keep('quiet', message(1, 300));
    for (let i = 1; i <= 200; i++) history.keep('busy', message(i, 100));
    expect(history.totalBytes).toBe(1_000);
    expect(history.recent('quiet')).toEqual([]);
    expect(history.recent('busy').map((m) => m.index)).toEqual([191, 192, 193, 194, 195, 196, 197, 198, 199, 200]);
  });

  it('numbers each room on its own, from 1', () => {
    const history = new ChatHistory();
    expect([history.nextIndex('a'), history.nextIndex('a'), history.nextIndex('b')]).toEqual([1, 2, 1]);
  });
});
