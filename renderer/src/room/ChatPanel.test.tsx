// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AppSnapshot, ChatView } from '../../../electron/api/contract.js';
import { chat, room, roomSnapshot } from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';

const withChat = (change: Partial<ChatView>, encrypted = true): AppSnapshot => ({ ...roomSnapshot, room: { ...room, encrypted, chat: { ...chat, ...change } } });
const XSS = '<img src=x onerror=alert(1)>';

describe('the chat panel', () => {
  it('lists the messages with who sent them, what is ours, what names us, and what failed', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    await renderApp(withChat({ unread: 2 }));
    const panel = screen.getByRole('region', { name: /^Chat/ });
    expect(within(panel).getByText('2 new')).toBeTruthy();
    const items = within(panel).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.chat-sender')!.textContent)).toEqual(['Ben', 'Chloé', 'Dev', 'Ada', 'Ada']);
    expect(items[2]!.classList.contains('chat-mention')).toBe(true);
    expect(within(items[2]!).getByText('mentions you')).toBeTruthy();
    expect(within(items[4]!).getByText('Not delivered')).toBeTruthy();
    vi.restoreAllMocks();
  });

  it('shows markup in a message or a name as the text it is, never as HTML', async () => {
    const message = { key: 'x', senderName: '<b>Mallory</b>', own: false, parts: [{ kind: 'text' as const, text: XSS }], sentAt: 0, state: 'sent' as const, mentionsMe: false, history: false };
    await renderApp(withChat({ messages: [message] }));
    expect(document.querySelector('.chat img, .chat b')).toBeNull();
    expect(screen.getByText(XSS)).toBeTruthy();
    expect(screen.getByText('<b>Mallory</b>')).toBeTruthy();
  });

  it('opens a link only after the user confirms the full address', async () => {
    const { user, fake } = await renderApp(roomSnapshot);
    await user.click(screen.getByRole('button', { name: 'https://maps.example.org/raid?night=3' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Open this address in your browser?' });
    expect(within(dialog).getByText('https://maps.example.org/raid?night=3')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('openChatLink')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'https://maps.example.org/raid?night=3' }));
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(fake.callsTo('openChatLink')).toEqual([['https://maps.example.org/raid?night=3']]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('sends with Enter, keeps Shift+Enter for a new line, and clears the box once sent', async () => {
    const { user, fake } = await renderApp(roomSnapshot);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(fake.callsTo('sendChat')).toEqual([]);
    await user.type(box, '{Enter}');
    expect(fake.callsTo('sendChat')).toEqual([['line one\nline two']]);
    expect((box as HTMLTextAreaElement).value).toBe('');
  });

  it('keeps what was typed and says why when sending fails', async () => {
    const { user, fake } = await renderApp(roomSnapshot);
    fake.respond('sendChat', () => ({ ok: false, error: { code: 'chat_tooFast', message: 'You are sending messages too fast. Wait a moment.' } }));
    const box = screen.getByRole('textbox', { name: 'Message' });
    await user.type(box, 'again{Enter}');
    expect(screen.getByText('You are sending messages too fast. Wait a moment.')).toBeTruthy();
    expect((box as HTMLTextAreaElement).value).toBe('again');
  });

  it('counts characters near the limit and will not send past it', async () => {
    const { user } = await renderApp(roomSnapshot);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await user.click(box);
    await user.paste('🎧'.repeat(2_001));
    expect(screen.getByText('2,001 / 2,000 characters')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('marks the chat read while the window is in front, and says when a relay has no chat or the room no secret', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { fake, push } = await renderApp(withChat({ unread: 2 }));
    expect(fake.callsTo('markChatRead')).toEqual([[]]);
    await push({ ...withChat({ available: false, messages: [], unread: 0 }), revision: 50 });
    expect(screen.getByText("This room's relay does not carry text chat (it may run an older Parley).")).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    await push({ ...withChat({ unread: 0 }, false), revision: 51 });
    expect(screen.getByText('Messages in this room are not encrypted: the relay can read them.')).toBeTruthy();
    vi.restoreAllMocks();
  });
});
