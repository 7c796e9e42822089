import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freeUdpPort } from '../helpers/relay.js';
import { chromiumApps, hostFromWindow, type RunningApp } from '../support/chromium-apps.js';

const XSS = '<img src=x onerror=alert(1)>';

/** The texts of the chat's messages as the window shows them (sender and text, without times and marks). */
const shownMessages = (page: Page): Promise<string[]> =>
  page.locator('.chat-message').evaluateAll((items) => items.map((item) => `${item.querySelector('.chat-sender')!.textContent}: ${item.querySelector('.chat-text')!.textContent}`));

async function joinRoom(guest: RunningApp, name: string, port: number): Promise<void> {
  await guest.page.getByLabel('Your name').fill(name);
  const joinForm = guest.page.getByRole('form', { name: 'Join a room' });
  await joinForm.getByLabel('Address or invite link').fill(`127.0.0.1:${port}`);
  await joinForm.getByLabel('Room').fill('Game night');
  await joinForm.getByRole('button', { name: 'Join room' }).click();
  await guest.page.getByRole('heading', { level: 1, name: 'Game night' }).waitFor();
}

async function say(app: RunningApp, text: string): Promise<void> {
  await app.page.getByRole('textbox', { name: 'Message' }).fill(text);
  await app.page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

/** Two (then three) Parleys chatting in Chromium, as users would, by labels and roles. */
describe('Parley in Chromium: text chat', () => {
  const openApp = chromiumApps();

  it('carries messages both ways as text (names too), opens a link only once confirmed, and shows history to a late joiner', async () => {
    const host = await openApp();
    const guest = await openApp();
    const port = await freeUdpPort();
    await hostFromWindow(host.page, { name: 'Ana', room: 'Game night', port });
    await joinRoom(guest, 'Ben', port);
    await host.page.locator('.member-name', { hasText: 'Ben' }).waitFor();

    await say(host, 'hi Ben');
    await guest.page.locator('.chat-message', { hasText: 'hi Ben' }).waitFor();
    await say(guest, XSS);
    await host.page.locator('.chat-message .chat-text', { hasText: XSS }).waitFor();
    await say(guest, 'map: https://example.org/raid');
    await host.page.getByRole('button', { name: 'https://example.org/raid' }).waitFor();

    // What arrived shows as text: no image was made from it, and nothing ran.
    expect(await host.page.locator('.chat img').count()).toBe(0);
    expect(await shownMessages(host.page)).toEqual(['Ana: hi Ben', `Ben: ${XSS}`, 'Ben: map: https://example.org/raid']);
    expect(await shownMessages(guest.page)).toEqual(await shownMessages(host.page));
    // Ben's window marks the message that names him.
    await guest.page.locator('.chat-message.chat-mention', { hasText: 'hi Ben' }).waitFor();

    // A link opens only after its address is confirmed; a cancelled one opens nothing.
    const link = host.page.getByRole('button', { name: 'https://example.org/raid' });
    await link.click();
    await host.page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    expect(host.app.opened).toEqual([]);
    await link.click();
    const dialog = host.page.getByRole('alertdialog', { name: 'Open this address in your browser?' });
    expect(await dialog.locator('code').textContent()).toBe('https://example.org/raid');
    await dialog.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => host.app.opened).toEqual(['https://example.org/raid']);

    // Someone who comes later sees what was said before, in the same order; a name that looks like markup is text too.
    const late = await openApp();
    await joinRoom(late, XSS, port);
    await late.page.locator('.chat-message', { hasText: 'map:' }).waitFor();
    expect(await shownMessages(late.page)).toEqual(await shownMessages(host.page));
    await say(late, 'hello');
    await host.page.locator('.chat-message', { hasText: 'hello' }).waitFor();
    expect((await shownMessages(host.page)).at(-1)).toBe(`${XSS}: hello`);
    expect(await host.page.locator('.member-name', { hasText: XSS }).count()).toBe(1);
    expect(await host.page.locator('img').count()).toBe(0);
  }, 60_000);
});
