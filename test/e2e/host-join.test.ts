import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { freeUdpPort } from '../helpers/relay.js';
import { chromiumApps, hostFromWindow } from '../support/chromium-apps.js';

/** What a screen reader reads for each member row: the name, "(you)", and the states. */
const memberNames = (page: Page): Promise<string[]> => page.locator('.member-name').allTextContents();

/**
 * Two Parleys, each the real controller (real engine, embedded relay, UDP on
 * loopback, WAV files for devices) behind the built window in Chromium, with
 * a stand-in for Electron's preload and IPC in between. Everything is done
 * as a user would, by labels and roles.
 */
describe('Parley in Chromium: host, join, mute, speak', () => {
  const openApp = chromiumApps();

  it('hosts from the window, is joined by address, lists both, shows a mute and lights the speaker', async () => {
    const host = await openApp({ inputs: { 'Speech sample': SPEECH_WAV } });
    const guest = await openApp();
    const port = await freeUdpPort();

    await hostFromWindow(host.page, { name: 'Ana', room: 'Game night', port });
    const addresses = await host.page.locator('.address-list li').allTextContents();
    expect(addresses.map((a) => a.includes(`127.0.0.1:${port}`))).toEqual([true]);
    expect(await memberNames(host.page)).toEqual(['Ana (you)']);

    await guest.page.getByLabel('Your name').fill('Ben');
    const joinForm = guest.page.getByRole('form', { name: 'Join a room' });
    await joinForm.getByLabel('Address or invite link').fill(`127.0.0.1:${port}`);
    await joinForm.getByLabel('Room').fill('Game night');
    await joinForm.getByRole('button', { name: 'Join room' }).click();
    await guest.page.getByRole('heading', { level: 1, name: 'Game night' }).waitFor();
    await guest.page.locator('.member-name', { hasText: 'Ana' }).waitFor();
    await host.page.locator('.member-name', { hasText: 'Ben' }).waitFor();
    expect(await memberNames(guest.page)).toEqual(['Ben (you)', 'Ana']);
    expect(await memberNames(host.page)).toEqual(['Ana (you)', 'Ben']);
    expect(await guest.page.locator('.room-address').textContent()).toBe(`127.0.0.1:${port}`);

    // Ben mutes himself; Ana's window shows it.
    const mute = guest.page.getByRole('button', { name: 'Mute', exact: true });
    await mute.click();
    // The button shows the state the app sends back, a round trip later.
    await guest.page.getByRole('button', { name: 'Mute', exact: true, pressed: true }).waitFor();
    const benOnHost = host.page.locator('.member', { has: host.page.locator('.member-name', { hasText: 'Ben' }) });
    await benOnHost.locator('.state-icon[title="Muted"]').waitFor();
    expect(await memberNames(host.page)).toEqual(['Ana (you)', 'Ben, muted']);

    // Ana picks the microphone that plays speech; Ben's window lights her row while it is heard.
    await host.page.getByRole('button', { name: 'Settings' }).click();
    await host.page.getByRole('region', { name: 'Devices' }).getByLabel('Microphone').selectOption('Speech sample');
    // Speech comes and goes (pauses between sentences), so the row is checked in the moment it is lit.
    await guest.page.locator('li.member.member-talking > .member-main > .member-name').filter({ hasText: /^Ana, speaking$/ }).waitFor();
    expect(host.app.latest().settings.inputDevice).toBe('Speech sample');
  });

  it('shows why a join failed: a wrong password', async () => {
    const host = await openApp();
    const guest = await openApp();
    const port = await freeUdpPort();

    await host.page.getByLabel('Your name').fill('Ana');
    const hostForm = host.page.getByRole('form', { name: 'Host a room' });
    await hostForm.getByLabel('Port').fill(String(port));
    await hostForm.getByLabel('Password (optional)').fill('open sesame');
    await hostForm.getByRole('button', { name: 'Host room' }).click();
    await host.page.getByRole('heading', { level: 1, name: 'Lobby' }).waitFor();

    await guest.page.getByLabel('Your name').fill('Ben');
    const joinForm = guest.page.getByRole('form', { name: 'Join a room' });
    await joinForm.getByLabel('Address or invite link').fill(`127.0.0.1:${port}`);
    await joinForm.getByLabel('Password (if the relay has one)').fill('open says me');
    await joinForm.getByRole('button', { name: 'Join room' }).click();
    const status = guest.page.locator('.status-failed');
    await status.waitFor();
    // The form's own message comes with the join's answer, the panel with the snapshot: wait for both.
    await joinForm.locator('.error-message').waitFor();
    expect(await status.locator('p').allTextContents()).toEqual(['Wrong password', 'Wrong relay password.']);
    expect(await guest.page.getByRole('alert').allTextContents()).toEqual(['Wrong passwordWrong relay password.', 'Wrong relay password.']);
    // The password field is where it is fixed: the window takes the user there.
    expect(await joinForm.getByLabel('Password (if the relay has one)').evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
    expect(await memberNames(host.page)).toEqual(['Ana (you)']);
  });

  it('shows why a join failed: nothing listens at the address', async () => {
    const guest = await openApp();
    const port = await freeUdpPort();
    await guest.page.getByLabel('Your name').fill('Ben');
    const joinForm = guest.page.getByRole('form', { name: 'Join a room' });
    await joinForm.getByLabel('Address or invite link').fill(`127.0.0.1:${port}`);
    await joinForm.getByRole('button', { name: 'Join room' }).click();
    const status = guest.page.locator('.status-failed');
    await status.waitFor();
    await joinForm.locator('.error-message').waitFor();
    expect(await status.locator('p').allTextContents()).toEqual([
      'Relay unreachable',
      'The relay did not answer. Check the address, and that its UDP port is open. (nothing is listening on that port)',
    ]);
    // The way out is the troubleshooting help (firewall, port forwarding), offered beside the message.
    await status.getByRole('button', { name: 'Troubleshooting' }).click();
    expect(guest.app.help).toEqual(['troubleshooting']);
  });

  it('checks calls from the window as the IPC handlers do: bad arguments never reach the app', async () => {
    const { page, app } = await openApp();
    const update = (patch: Record<string, unknown>): Promise<string> =>
      page.evaluate(
        (value) =>
          (globalThis as unknown as { parley: { updateSettings(patch: unknown): Promise<unknown> } }).parley.updateSettings(value).then(
            (result) => JSON.stringify(result),
            (error: unknown) => String(error),
          ),
        patch,
      );
    const before = app.latest().settings.displayName;
    expect(await update({ displayName: 'Mallory', isAdmin: true })).toContain('Invalid call to updateSettings: 0: Unrecognized key: "isAdmin"');
    expect(app.latest().settings.displayName).toBe(before);
    expect(await update({ displayName: 'Mallory' })).toBe('{"ok":true}');
    expect(app.latest().settings.displayName).toBe('Mallory');
  });
});
