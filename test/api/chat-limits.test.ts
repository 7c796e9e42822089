import { describe, expect, it } from 'vitest';
import { chatCharacters, CHAT_LIMITS } from '../../electron/api/chat-limits.js';
import { apiArgumentSchemas } from '../../electron/api/validation.js';
import { CHAT_LIMITS as WIRE } from '../../server/protocol/chat/chat-text.js';

describe('chat limits: the window and the wire agree', () => {
  it('are the protocol’s own', () => {
    expect(CHAT_LIMITS).toEqual({ maxChars: WIRE.maxChars, maxTextBytes: WIRE.maxTextBytes });
  });

  it('count characters as the relay does, and main takes any message the relay could', () => {
    expect([chatCharacters('🎧 ok'), chatCharacters('é'), chatCharacters('')]).toEqual([4, 1, 0]);
    const longest = '🎧'.repeat(CHAT_LIMITS.maxChars);
    expect(apiArgumentSchemas.sendChat.safeParse([longest]).success).toBe(true);
  });
});
