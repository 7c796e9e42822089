import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatKey, openChatText, sealChatText } from '../../server/protocol/chat/chat-crypto.js';
import { decodeChatDelivery, decodeChatPost, encodeChatDelivery, encodeChatPost, MAX_CHAT_MESSAGE_BYTES, type ChatDelivery } from '../../server/protocol/chat/chat-messages.js';
import { CHAT_LIMITS, chatTextProblem } from '../../server/protocol/chat/chat-text.js';
import { ChunkAssembler, MAX_CHAT_CHUNK_BYTES, splitIntoChunks, type Chunk } from '../../server/protocol/chat/chunks.js';
import { MAX_SEALED_PLAINTEXT } from '../../server/protocol/control.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { decodeSessionMessage, encodeSessionMessage } from '../../server/protocol/session-messages.js';

const roomKey = Buffer.alloc(32, 7);
const anaSalt = Buffer.alloc(16, 1);
const benSalt = Buffer.alloc(16, 2);

function delivery(body: Uint8Array, sealed = true): ChatDelivery {
  return { index: 41, sentAtSeconds: 1_796_000_000, senderId: 0xdeadbeef, senderSalt: anaSalt, senderName: 'Ana', tag: 77, sealed, history: false, body };
}

describe('chat text', () => {
  it('takes up to 2,000 characters of text with line breaks and tabs, and names what it refuses', () => {
    expect(chatTextProblem('back in 5\n\tok')).toBeUndefined();
    expect(chatTextProblem('😀'.repeat(2_000))).toBeUndefined();
    expect(chatTextProblem('😀'.repeat(2_001))).toBe('tooLong');
    expect(chatTextProblem(' \n\t ')).toBe('empty');
    expect(chatTextProblem('ding\u0007')).toBe('controlCharacters');
    expect(chatTextProblem('abc\u202edef')).toBe('controlCharacters');
    expect(chatTextProblem('a\u009bb')).toBe('controlCharacters');
  });
});

describe('chat sealing', () => {
  it("opens only under the room's chat key and the sender's own salt", () => {
    const key = chatKey(roomKey);
    const sealed = sealChatText(key, anaSalt, 'the game is at 8');
    expect(openChatText(key, anaSalt, sealed)).toBe('the game is at 8');
    expect(openChatText(key, benSalt, sealed)).toBeNull();
    expect(openChatText(chatKey(Buffer.alloc(32, 8)), anaSalt, sealed)).toBeNull();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(openChatText(key, anaSalt, tampered)).toBeNull();
    expect(openChatText(key, anaSalt, sealed.subarray(0, 11))).toBeNull();
    // A fresh nonce each time: the same words never look the same on the wire.
    expect(sealChatText(key, anaSalt, 'x').equals(sealChatText(key, anaSalt, 'x'))).toBe(false);
  });

  it('is not the media key', () => {
    expect(chatKey(roomKey).equals(roomKey)).toBe(false);
  });
});

describe('chat chunks', () => {
  it('splits a message into pieces that each fit one sealed datagram, and joins them again', () => {
    const message = Buffer.alloc(MAX_CHAT_CHUNK_BYTES * 2 + 5, 3);
    const chunks = splitIntoChunks(message, MAX_CHAT_CHUNK_BYTES);
    expect(chunks.map((c) => [c.bytes.length, c.first, c.more])).toEqual([
      [MAX_CHAT_CHUNK_BYTES, true, true],
      [MAX_CHAT_CHUNK_BYTES, false, true],
      [5, false, false],
    ]);
    const assembler = new ChunkAssembler(MAX_CHAT_MESSAGE_BYTES);
    expect(chunks.map((c) => assembler.add(c).message)).toEqual([undefined, undefined, message]);
    for (const c of chunks) {
      const encoded = encodeSessionMessage({ kind: 'chatChunk', seq: 9, floor: 3, ...c });
      expect(encoded.length).toBeLessThanOrEqual(MAX_SEALED_PLAINTEXT);
    }
    expect(encodeSessionMessage({ kind: 'chatChunk', seq: 1, floor: 1, first: true, more: false, bytes: Buffer.alloc(MAX_CHAT_CHUNK_BYTES) }).length).toBe(MAX_SEALED_PLAINTEXT);
  });

  const piece = (text: string, first: boolean, more: boolean): Chunk => ({ bytes: Buffer.from(text), first, more });

  it('refuses an oversized message once, skips the rest of it, and takes the next one whole', () => {
    const assembler = new ChunkAssembler(10);
    expect(assembler.add(piece('abcdef', true, true))).toEqual({ message: undefined, refused: undefined });
    expect(assembler.add(piece('ghijkl', false, true))).toEqual({ message: undefined, refused: 'oversized' });
    expect(assembler.add(piece('mnopqr', false, true))).toEqual({ message: undefined, refused: undefined });
    expect(assembler.add(piece('stuvwx', false, false))).toEqual({ message: undefined, refused: undefined });
    expect(assembler.add(piece('hi', true, false))).toEqual({ message: Buffer.from('hi'), refused: undefined });
  });

  it('drops a message the channel cut short, and keeps the one after it', () => {
    const assembler = new ChunkAssembler(100);
    // A's middle chunk was given up: its head is dropped when the gap shows, and its tail after it.
    expect(assembler.add(piece('A1', true, true)).message).toBeUndefined();
    expect(assembler.add(piece('A3', false, true), true)).toEqual({ message: undefined, refused: 'incomplete' });
    expect(assembler.add(piece('A4', false, false))).toEqual({ message: undefined, refused: undefined });
    expect(assembler.add(piece('B', true, false))).toEqual({ message: Buffer.from('B'), refused: undefined });
    // C's last chunk was given up: D's first chunk, after the gap, ends C and starts D.
    expect(assembler.add(piece('C1', true, true)).message).toBeUndefined();
    expect(assembler.add(piece('D', true, false), true)).toEqual({ message: Buffer.from('D'), refused: 'incomplete' });
    // A gap before a whole message costs nothing.
    expect(assembler.add(piece('E', true, false), true)).toEqual({ message: Buffer.from('E'), refused: undefined });
  });
});

describe('chat messages on the wire', () => {
  it('carries posts and deliveries, and the session kinds that carry them', () => {
    expect(decodeChatPost(encodeChatPost({ tag: 0xfffffffe, sealed: true, body: Buffer.from('abc') }))).toEqual({ tag: 0xfffffffe, sealed: true, body: Uint8Array.from(Buffer.from('abc')) });
    const sent = { ...delivery(Buffer.from('hello'), false), history: true };
    expect(decodeChatDelivery(encodeChatDelivery(sent))).toEqual({ ...sent, senderSalt: Uint8Array.from(anaSalt), body: Uint8Array.from(Buffer.from('hello')) });
    for (const message of [
      { kind: 'chatChunk', seq: 7, floor: 5, first: false, more: true, bytes: Uint8Array.from([1, 2, 3]) },
      { kind: 'chatAck', cumulative: 12, selective: 0x80000001 },
      { kind: 'chatReady', maxChars: CHAT_LIMITS.maxChars, historyId: 0x9abcdef0 },
    ] as const) {
      expect(decodeSessionMessage(encodeSessionMessage(message))).toEqual(message);
    }
  });

  it('refuses unknown flags, empty and oversized bodies, and chunk numbers of zero', () => {
    const reason = (decode: () => unknown): string => {
      try {
        decode();
        return 'accepted';
      } catch (error) {
        return error instanceof ProtocolError ? error.reason : 'threw something else';
      }
    };
    expect(reason(() => decodeChatPost(Uint8Array.from([0, 0, 0, 1, 4, 1])))).toBe('malformed');
    expect(reason(() => decodeChatPost(Uint8Array.from([0, 0, 0, 1, 1])))).toBe('malformed');
    expect(reason(() => decodeChatPost(encodeChatPost({ tag: 1, sealed: false, body: Buffer.alloc(CHAT_LIMITS.maxTextBytes + 29) })))).toBe('oversized');
    expect(reason(() => decodeSessionMessage(encodeSessionMessage({ kind: 'chatChunk', seq: 0, floor: 1, first: true, more: false, bytes: Uint8Array.of(1) })))).toBe('malformed');
    expect(reason(() => decodeSessionMessage(Uint8Array.from([10, 0, 0, 0, 1, 0, 0, 0, 1, 4])))).toBe('malformed');
  });

  it('decoders meet any bytes with a ProtocolError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const decode of [decodeChatPost, decodeChatDelivery, (b: Uint8Array) => decodeSessionMessage(Uint8Array.from([10, ...b]))]) {
          try {
            decode(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
          }
        }
      }),
    );
  });

  it('carries any text a member may send, sealed, through chunks and back, whole', () => {
    const key = chatKey(roomKey);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: CHAT_LIMITS.maxChars }), (text) => {
        const wire = encodeChatDelivery(delivery(sealChatText(key, anaSalt, text)));
        expect(wire.length).toBeLessThanOrEqual(MAX_CHAT_MESSAGE_BYTES);
        const assembler = new ChunkAssembler(MAX_CHAT_MESSAGE_BYTES);
        let whole: Buffer | undefined;
        for (const chunk of splitIntoChunks(wire, MAX_CHAT_CHUNK_BYTES)) {
          const decoded = decodeSessionMessage(encodeSessionMessage({ kind: 'chatChunk', seq: 1, floor: 1, ...chunk }));
          if (decoded.kind !== 'chatChunk') throw new Error('not a chunk');
          whole = assembler.add(decoded).message;
        }
        const received = decodeChatDelivery(whole!);
        expect(openChatText(key, received.senderSalt, received.body)).toBe(text);
      }),
      { numRuns: 60 },
    );
  });
});
