import { afterEach, describe, expect, it } from 'vitest';
import { freeUdpPort, waitFor } from '../helpers/relay.js';
import { startAppInstance, type AppInstance } from '../support/app-instance.js';

describe('text chat in the app (two instances, the host’s embedded relay)', () => {
  const instances: AppInstance[] = [];
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.controller.shutdown()));
  });

  async function hostAndGuest(): Promise<{ host: AppInstance; guest: AppInstance }> {
    const host = await startAppInstance();
    const guest = await startAppInstance();
    instances.push(host, guest);
    expect(await host.controller.host({ name: 'Ana', room: 'Game night', port: await freeUdpPort() })).toEqual({ ok: true });
    expect(await guest.controller.join({ target: host.latest().room!.hosting!.invite, name: 'Ben' })).toEqual({ ok: true });
    await waitFor('chat offered', () => host.latest().room?.chat.available && guest.latest().room?.chat.available, 10_000);
    return { host, guest };
  }

  it('carries a message, encrypted, to the other, who is told and may mark it read', async () => {
    const { host, guest } = await hostAndGuest();
    expect(await host.controller.sendChat('Ben, link for tonight: https://example.org/raid.')).toEqual({ ok: true });
    expect(host.latest().room!.chat.messages.map((m) => [m.senderName, m.state])).toEqual([['Ana', 'sending']]);
    await waitFor('arrived', () => guest.latest().room?.chat.messages.length === 1, 10_000);
    await waitFor('confirmed', () => host.latest().room?.chat.messages[0]?.state === 'sent', 10_000);
    const [message] = guest.latest().room!.chat.messages;
    expect(message).toMatchObject({
      senderName: 'Ana',
      own: false,
      state: 'sent',
      mentionsMe: true,
      history: false,
      parts: [
        { kind: 'text', text: 'Ben, link for tonight: ' },
        { kind: 'link', text: 'https://example.org/raid', url: 'https://example.org/raid' },
        { kind: 'text', text: '.' },
      ],
    });
    expect(guest.latest().room!.chat.unread).toBe(1);
    expect(guest.notified.map((m) => m.senderName)).toEqual(['Ana']);
    expect(host.notified).toEqual([]);
    await guest.controller.markChatRead();
    expect(guest.latest().room!.chat.unread).toBe(0);
  });

  it('turns notifications off when asked, and shows markup as the text it is', async () => {
    const { host, guest } = await hostAndGuest();
    expect(await guest.controller.updateSettings({ chatNotifications: false })).toEqual({ ok: true });
    expect(await host.controller.sendChat('<img src=x onerror=alert(1)>')).toEqual({ ok: true });
    await waitFor('arrived', () => guest.latest().room?.chat.messages.length === 1, 10_000);
    expect(guest.latest().room!.chat.messages[0]!.parts).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
    expect(guest.notified).toEqual([]);
  });

  it('refuses with a clear reason: an empty or over-long message, too many at once, a link that is not a web link', async () => {
    const { host } = await hostAndGuest();
    expect(await host.controller.sendChat('   ')).toEqual({ ok: false, error: { code: 'chat_empty', message: 'Type a message first.' } });
    expect(await host.controller.sendChat('x'.repeat(2_001))).toMatchObject({ ok: false, error: { code: 'chat_tooLong' } });
    const results = await Promise.all(Array.from({ length: 11 }, (_, i) => host.controller.sendChat(`m${i}`)));
    expect(results.at(-1)).toEqual({ ok: false, error: { code: 'chat_tooFast', message: 'You are sending messages too fast. Wait a moment.' } });
    expect(await host.controller.openChatLink('javascript:alert(1)')).toMatchObject({ ok: false, error: { code: 'linkNotAllowed' } });
    expect(await host.controller.openChatLink('https://example.org/raid')).toEqual({ ok: true });
    expect(host.opened).toEqual(['https://example.org/raid']);
  });

  it('hands a guest who joins later the room’s recent messages as history, not as unread', async () => {
    const { host } = await hostAndGuest();
    await host.controller.sendChat('before you came');
    await waitFor('confirmed', () => host.latest().room?.chat.messages[0]?.state === 'sent', 10_000);
    const late = await startAppInstance();
    instances.push(late);
    expect(await late.controller.join({ target: host.latest().room!.hosting!.invite, name: 'Cy' })).toEqual({ ok: true });
    await waitFor('history', () => late.latest().room?.chat.messages.length === 1, 10_000);
    expect(late.latest().room!.chat).toMatchObject({ unread: 0, messages: [{ senderName: 'Ana', history: true, parts: [{ kind: 'text', text: 'before you came' }] }] });
    expect(late.notified).toEqual([]);
  });
});
