import { describe, expect, it } from 'vitest';
import type { ChatArrival, ChatEvent } from '../../electron/net/chat/session-chat.js';
import type { RelaySession } from '../../electron/net/session.js';
import { relayHarness } from '../helpers/relay-harness.js';
import { waitFor } from '../helpers/relay.js';

/** Everything a session's chat said, as it said it. */
function listen(session: RelaySession): { messages: ChatArrival[]; failed: number[] } {
  const heard = { messages: [] as ChatArrival[], failed: [] as number[] };
  session.onChat((event: ChatEvent) => {
    if (event.kind === 'message') heard.messages.push(event.message);
    if (event.kind === 'failed') heard.failed.push(event.tag);
  });
  return heard;
}

const lines = (who: string, count: number, size = 1): string[] => Array.from({ length: count }, (_, i) => `${who} ${i + 1} `.padEnd(size, '·'));

describe('text chat through the real relay', () => {
  const harness = relayHarness();

  it('over 20 % loss each way on one member: every message once, in one order for all, history for a late joiner', async () => {
    const relay = await harness.relay();
    const proxy = await harness.proxy(relay);
    const lossy = { lossPct: 20, delayMs: 15, jitterMs: 25, duplicatePct: 5 };
    proxy.setImpairment('toRelay', lossy);
    proxy.setImpairment('toClient', lossy);
    const secret = 'correct horse battery staple';
    const ana = await harness.join(relay, { room: 'Chat', name: 'Ana', secret });
    const ben = await harness.join(proxy, { room: 'Chat', name: 'Ben', secret });
    const anaHeard = listen(ana);
    const benHeard = listen(ben);
    await waitFor('chat offered', () => ana.chatAvailable && ben.chatAvailable, 10_000);

    // Ten each at once (the burst a client allows), Ana's long enough to take three chunks each.
    const anaSays = lines('Ana', 10, 1_900).map((text) => text.replace(/·/g, 'é'));
    const benSays = lines('Ben', 10);
    for (const text of anaSays) expect(ana.postChat(text)).toMatchObject({ ok: true });
    for (const text of benSays) expect(ben.postChat(text)).toMatchObject({ ok: true });
    await waitFor('all delivered', () => anaHeard.messages.length === 20 && benHeard.messages.length === 20, 25_000);

    // The loss was real: Ben's chunks and acks were lost both ways, and resent.
    expect(proxy.counters.toRelay.dropped).toBeGreaterThan(2);
    expect(proxy.counters.toClient.dropped).toBeGreaterThan(2);
    for (const heard of [anaHeard, benHeard]) {
      expect(heard.failed).toEqual([]);
      expect(heard.messages.map((m) => m.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(heard.messages.filter((m) => m.senderName === 'Ana').map((m) => m.text)).toEqual(anaSays);
      expect(heard.messages.filter((m) => m.senderName === 'Ben').map((m) => m.text)).toEqual(benSays);
    }
    expect(anaHeard.messages.map((m) => m.text)).toEqual(benHeard.messages.map((m) => m.text));
    expect(benHeard.messages.filter((m) => m.own).map((m) => m.tag)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));

    const cy = await harness.join(relay, { room: 'Chat', name: 'Cy', secret });
    const cyHeard = listen(cy);
    await waitFor('history', () => cyHeard.messages.length === 20, 10_000);
    expect(cyHeard.messages.map((m) => [m.index, m.history])).toEqual(anaHeard.messages.map((m) => [m.index, true]));
    expect(cyHeard.messages.map((m) => m.text)).toEqual(anaHeard.messages.map((m) => m.text));
  }, 60_000);

  it('keeps rooms apart, and a room without a secret chats in the clear, saying so by having no key', async () => {
    const relay = await harness.relay();
    const ana = await harness.join(relay, { room: 'Open', name: 'Ana' });
    const ben = await harness.join(relay, { room: 'Other', name: 'Ben' });
    const anaHeard = listen(ana);
    const benHeard = listen(ben);
    await waitFor('chat offered', () => ana.chatAvailable && ben.chatAvailable, 10_000);
    expect(ana.encrypted).toBe(false);
    expect(ana.postChat('anyone here?')).toEqual({ ok: true, tag: 1 });
    await waitFor('own post back', () => anaHeard.messages.length === 1, 10_000);
    expect(anaHeard.messages[0]).toMatchObject({ text: 'anyone here?', own: true, senderName: 'Ana' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(benHeard.messages).toEqual([]);
  });
});
