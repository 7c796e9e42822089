import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RelaySession } from '../../electron/net/session.js';
import { freeUdpPort } from '../helpers/relay.js';
import { chromiumApps, hostFromWindow } from '../support/chromium-apps.js';

/** The room tree as a window shows it: each room, then who is in it. */
const shownTree = (page: Page): Promise<string[]> =>
  page
    .locator('.rooms .tree-room')
    .evaluateAll((rooms) => rooms.map((room) => `${room.querySelector('.tree-room-name')!.textContent}: ${[...room.querySelectorAll('.tree-member-name')].map((m) => m.textContent).join(', ')}`));

/** Two Parleys in Chromium and a relay with three rooms: the directory, a move seen by both, a locked room. */
describe('Parley in Chromium: the relay’s rooms', () => {
  const openApp = chromiumApps();

  it('lists the rooms before joining, shows both windows the tree, moves a member in its call, and keeps a locked room locked', async () => {
    const host = await openApp();
    const guest = await openApp();
    const port = await freeUdpPort();
    await hostFromWindow(host.page, { name: 'Ana', room: 'Game night', port });
    const relay = { host: '127.0.0.1', port };
    // Two more rooms on the host's relay: one locked with a secret, one open.
    const others = [
      await RelaySession.connect({ relay, room: 'Strategy', name: 'Mira', secret: 'tactics 2026' }),
      await RelaySession.connect({ relay, room: 'AFK', name: 'Sam', flags: { muted: true } }),
    ];
    try {
      // The guest asks for the relay's rooms from the connect screen, and joins one from the list.
      await guest.page.getByLabel('Your name').fill('Ben');
      const joinForm = guest.page.getByRole('form', { name: 'Join a room' });
      await joinForm.getByLabel('Address or invite link').fill(`127.0.0.1:${port}`);
      await joinForm.getByRole('button', { name: 'Show rooms' }).click();
      const picker = guest.page.getByRole('region', { name: `Rooms on 127.0.0.1:${port}` });
      await picker.locator('.tree-room-name', { hasText: 'Strategy' }).waitFor();
      expect(await picker.locator('.tree-room').evaluateAll((rooms) => rooms.map((r) => r.textContent))).toEqual([
        'AFK(1 member)JoinSam, muted',
        'Game night(1 member), encryptedJoinAna',
        'Strategy(1 member), lockedJoinMira',
      ]);
      await picker.getByRole('button', { name: 'Join: AFK' }).click();
      await guest.page.getByRole('heading', { level: 1, name: 'AFK' }).waitFor();

      // Both windows show the same tree.
      const before = ['AFK: Sam, Ben', 'Game night: Ana', 'Strategy: Mira'];
      await expect.poll(() => shownTree(guest.page)).toEqual(before);
      await expect.poll(() => shownTree(host.page)).toEqual(before);

      // The guest moves into the host's room (the host's relay hands out its key) without leaving the call.
      await guest.page.getByRole('button', { name: 'Move here: Game night' }).click();
      await guest.page.getByRole('heading', { level: 1, name: 'Game night' }).waitFor();
      await host.page.locator('.member-name', { hasText: 'Ben' }).waitFor();
      const after = ['AFK: Sam', 'Game night: Ana, Ben', 'Strategy: Mira'];
      await expect.poll(() => shownTree(guest.page)).toEqual(after);
      await expect.poll(() => shownTree(host.page)).toEqual(after);
      expect(await guest.page.getByRole('button', { name: 'Encrypted' }).count()).toBe(1);

      // A locked room refuses a wrong secret; the guest stays where it was.
      await guest.page.getByRole('button', { name: 'Move here: Strategy' }).click();
      await guest.page.getByLabel('Secret or password for Strategy').fill('guess');
      await guest.page.getByRole('form', { name: 'Secret for Strategy' }).getByRole('button', { name: 'Move here' }).click();
      await guest.page.getByRole('alert').filter({ hasText: 'This room uses a different secret' }).waitFor();
      expect(await guest.page.getByRole('heading', { level: 1 }).textContent()).toBe('Game night');
      await expect.poll(() => shownTree(host.page)).toEqual(after);

      // With the right one it lets the guest in.
      await guest.page.getByLabel('Secret or password for Strategy').fill('tactics 2026');
      await guest.page.getByRole('form', { name: 'Secret for Strategy' }).getByRole('button', { name: 'Move here' }).click();
      await guest.page.getByRole('heading', { level: 1, name: 'Strategy' }).waitFor();
      await expect.poll(() => shownTree(host.page)).toEqual(['AFK: Sam', 'Game night: Ana', 'Strategy: Mira, Ben']);
    } finally {
      await Promise.all(others.map((session) => session.leave()));
    }
  }, 60_000);
});
