import { describe, expect, it } from 'vitest';
import { ChatLog, mentions } from '../../electron/app/chat-log.js';
import { chatTextParts, isOpenableChatLink } from '../../electron/app/chat-text-parts.js';
import type { ChatArrival } from '../../electron/net/chat/session-chat.js';

const arrival = (index: number, change: Partial<ChatArrival> = {}): ChatArrival => ({
  historyId: 7,
  index,
  sentAtSeconds: 1_796_000_000 + index,
  senderId: 2,
  senderName: 'Ben',
  text: `message ${index}`,
  history: false,
  own: false,
  tag: 0,
  ...change,
});

describe('the chat log the window shows', () => {
  it('shows our post at once as sending, then sent in the same row with the relay’s time', () => {
    const log = new ChatLog('Ana');
    log.apply({ kind: 'ready', maxChars: 2_000, historyId: 7 });
    log.posted(3, 'hi', 1_000);
    expect(log.view().messages.map((m) => [m.key, m.state, m.sentAt])).toEqual([['local-1', 'sending', 1_000]]);
    expect(log.apply({ kind: 'message', message: arrival(1, { own: true, tag: 3, senderName: 'Ana', text: 'hi' }) })).toBeUndefined();
    expect(log.view()).toEqual({
      available: true,
      unread: 0,
      messages: [{ key: 'local-1', senderName: 'Ana', own: true, parts: [{ kind: 'text', text: 'hi' }], sentAt: 1_796_000_001_000, state: 'sent', mentionsMe: false, history: false }],
    });
  });

  it('marks a post the session gave up on as failed', () => {
    const log = new ChatLog('Ana');
    log.posted(1, 'lost', 0);
    log.posted(2, 'kept', 0);
    log.apply({ kind: 'failed', tag: 1 });
    expect(log.view().messages.map((m) => m.state)).toEqual(['failed', 'sending']);
  });

  it('counts others’ new messages as unread (not history, not ours), returns them to notify, and shows each once', () => {
    const log = new ChatLog('Ana');
    expect(log.apply({ kind: 'message', message: arrival(1, { history: true }) })).toBeUndefined();
    const news = log.apply({ kind: 'message', message: arrival(2, { text: 'ana: ready?' }) });
    expect(news).toMatchObject({ key: '7:2', senderName: 'Ben', mentionsMe: true });
    // After a reconnect the relay hands over its history again: the same log and number is the same message.
    expect(log.apply({ kind: 'message', message: arrival(2, { history: true, text: 'ana: ready?' }) })).toBeUndefined();
    // A new log (the room emptied meanwhile) numbers from 1 again: those are new messages.
    log.apply({ kind: 'message', message: arrival(1, { historyId: 8 }) });
    expect(log.view().messages.map((m) => m.key)).toEqual(['7:1', '7:2', '8:1']);
    expect(log.view().unread).toBe(2);
    log.markRead();
    expect(log.view().unread).toBe(0);
  });

  it('keeps the newest messages up to its limit, and an unreadable one as unreadable', () => {
    const log = new ChatLog('Ana', 3);
    for (let i = 1; i <= 5; i++) log.apply({ kind: 'message', message: arrival(i, { text: i === 5 ? null : `m${i}` }) });
    expect(log.view().messages.map((m) => [m.key, m.parts])).toEqual([
      ['7:3', [{ kind: 'text', text: 'm3' }]],
      ['7:4', [{ kind: 'text', text: 'm4' }]],
      ['7:5', null],
    ]);
  });
});

describe('mentions', () => {
  it('finds a name as a word in any case, and not inside another word', () => {
    expect([mentions('@Ana hi', 'Ana'), mentions('ANA!', 'Ana'), mentions('thanks, ana', 'Ana'), mentions('Banana', 'Ana'), mentions('Anastasia', 'Ana')]).toEqual([true, true, true, false, false]);
    expect([mentions('Zoë?', 'zoë'), mentions('Dr. Who there', 'Dr. Who'), mentions('anything', ' ')]).toEqual([true, true, false]);
  });
});

describe('links in chat', () => {
  it('splits web links out of the text, leaving the sentence’s punctuation outside', () => {
    expect(chatTextParts('see https://example.org/a?b=1. or (http://x.example/y)')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', url: 'https://example.org/a?b=1' },
      { kind: 'text', text: '. or (' },
      { kind: 'link', text: 'http://x.example/y', url: 'http://x.example/y' },
      { kind: 'text', text: ')' },
    ]);
    expect(chatTextParts('no links <img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: 'no links <img src=x onerror=alert(1)>' }]);
  });

  it('opens only web links without credentials: never javascript:, file:, data: or a parley: invite', () => {
    expect(['https://example.org', 'http://example.org/x'].map(isOpenableChatLink)).toEqual([true, true]);
    expect(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'parley://relay.example/Room', 'https://user:pw@example.org', 'not a url'].map(isOpenableChatLink)).toEqual([false, false, false, false, false, false]);
    expect(chatTextParts('javascript:alert(1) and https://user:pw@evil.example')).toEqual([{ kind: 'text', text: 'javascript:alert(1) and https://user:pw@evil.example' }]);
  });
});
