// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  connectingSnapshot,
  firstRunSnapshot,
  idleSnapshot,
  roomFullSnapshot,
  unreachableSnapshot,
  wrongPasswordSnapshot,
} from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';

function form(name: string): HTMLElement {
  return screen.getByRole('form', { name });
}

describe('connect screen', () => {
  it('joins with exactly the typed request', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    const join = form('Join a room');
    await user.type(within(join).getByRole('textbox', { name: 'Address or invite link' }), '203.0.113.5:47000');
    await user.type(within(join).getByRole('textbox', { name: 'Room' }), 'Games');
    await user.type(within(join).getByLabelText('Password (if the relay has one)'), 'hunter2');
    await user.click(within(join).getByRole('button', { name: 'Join room' }));
    expect(fake.actions()).toEqual([{ method: 'join', args: [{ target: '203.0.113.5:47000', name: 'Ada', room: 'Games', password: 'hunter2' }] }]);
  });

  it('leaves out what was not typed, and the room for an invite link (which names its own)', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    const join = form('Join a room');
    const name = screen.getByRole('textbox', { name: 'Your name' });
    await user.clear(name);
    await user.type(name, 'Zoë');
    await user.type(within(join).getByRole('textbox', { name: 'Address or invite link' }), 'parley://198.51.100.23:47000/Lobby#secret=abc');
    expect(within(join).queryByRole('textbox', { name: 'Room' })).toBeNull();
    await user.keyboard('{Enter}');
    expect(fake.actions()).toEqual([{ method: 'join', args: [{ target: 'parley://198.51.100.23:47000/Lobby#secret=abc', name: 'Zoë' }] }]);
  });

  it('puts an invite opened from outside into the Join box, focused, ready to join', async () => {
    const { user, fake, push } = await renderApp(idleSnapshot);
    const link = 'parley://198.51.100.23:47000/Lobby#secret=xyz';
    await push({ ...idleSnapshot, revision: idleSnapshot.revision + 1, pendingInvite: link });
    const target = screen.getByRole('textbox', { name: 'Address or invite link' });
    expect((target as HTMLInputElement).value).toBe(link);
    expect(document.activeElement).toBe(target);
    await user.keyboard('{Enter}');
    expect(fake.actions()).toEqual([{ method: 'join', args: [{ target: link, name: 'Ada' }] }]);
  });

  it('asks for a name before joining and sends nothing', async () => {
    const { user, fake } = await renderApp(firstRunSnapshot);
    await user.type(screen.getByRole('textbox', { name: 'Address or invite link' }), 'voice.example.org');
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    expect(fake.actions()).toEqual([]);
    const name = screen.getByRole('textbox', { name: 'Your name' });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!.split(' ')[1]!)!.textContent).toBe('Enter the name others will see.');
    expect(document.activeElement).toBe(name);
  });

  it('asks for an address before joining', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    expect(fake.actions()).toEqual([]);
    expect(screen.getByRole('textbox', { name: 'Address or invite link' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter an address or paste an invite link.')).toBeTruthy();
  });

  it('shows the error a join answers with, in the join form', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    fake.respond('join', () => ({ ok: false, error: { code: 'badTarget', message: 'That link is not a Parley invite (it should start with parley://).' } }));
    await user.type(screen.getByRole('textbox', { name: 'Address or invite link' }), 'https://example.org');
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    expect(within(form('Join a room')).getByRole('alert').textContent).toBe('That link is not a Parley invite (it should start with parley://).');
  });

  it('hosts with the port from the settings by default', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    const host = form('Host a room');
    expect((within(host).getByRole('textbox', { name: 'Room name' }) as HTMLInputElement).value).toBe('Lobby');
    expect((within(host).getByRole('textbox', { name: 'Port' }) as HTMLInputElement).value).toBe('47000');
    await user.click(within(host).getByRole('button', { name: 'Host room' }));
    expect(fake.actions()).toEqual([{ method: 'host', args: [{ name: 'Ada', room: 'Lobby', port: 47000 }] }]);
  });

  it('hosts with a typed room, port and password', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    const host = form('Host a room');
    const room = within(host).getByRole('textbox', { name: 'Room name' });
    await user.clear(room);
    await user.type(room, 'Raid night');
    const port = within(host).getByRole('textbox', { name: 'Port' });
    await user.clear(port);
    await user.type(port, '47010');
    await user.type(within(host).getByLabelText('Password (optional)'), 's3cret');
    await user.click(within(host).getByRole('button', { name: 'Host room' }));
    expect(fake.actions()).toEqual([{ method: 'host', args: [{ name: 'Ada', room: 'Raid night', port: 47010, password: 's3cret' }] }]);
  });

  it('refuses a port outside 1–65535 and says why', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    const host = form('Host a room');
    const port = within(host).getByRole('textbox', { name: 'Port' });
    await user.clear(port);
    await user.type(port, '70000');
    await user.click(within(host).getByRole('button', { name: 'Host room' }));
    expect(fake.actions()).toEqual([]);
    expect(port.getAttribute('aria-invalid')).toBe('true');
    expect(within(host).getByText('Enter a port from 1 to 65535.')).toBeTruthy();
  });

  it('shows a hosting failure with help on hosting', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    fake.respond('host', () => ({ ok: false, error: { code: 'portInUse', message: 'Port 47000 is already in use on this computer.' } }));
    await user.click(screen.getByRole('button', { name: 'Host room' }));
    const alert = within(form('Host a room')).getByRole('alert');
    expect(alert.textContent).toBe('Port 47000 is already in use on this computer. Help with hosting');
    await user.click(within(alert).getByRole('button', { name: 'Help with hosting' }));
    expect(fake.callsTo('openHelp')).toEqual([['hosting']]);
  });

  it('lists recent rooms; one click fills the join form, Join joins right away', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    const recent = screen.getByRole('region', { name: 'Recent rooms' });
    expect(within(recent).getAllByRole('listitem').map((li) => li.querySelector('.recent-fill')!.textContent)).toEqual([
      'Raid nightvoice.example.org:470002 hours ago',
      'Lobby203.0.113.5:470003 days ago',
      'Book club[2001:db8::7]:470102 weeks ago',
    ]);
    await user.click(within(recent).getByRole('button', { name: 'Fill in the join form with Book club at [2001:db8::7]:47010' }));
    const target = screen.getByRole('textbox', { name: 'Address or invite link' }) as HTMLInputElement;
    expect(target.value).toBe('[2001:db8::7]:47010');
    expect((screen.getByRole('textbox', { name: 'Room' }) as HTMLInputElement).value).toBe('Book club');
    expect(document.activeElement).toBe(target);
    expect(fake.actions()).toEqual([]);

    await user.click(within(recent).getByRole('button', { name: 'Join Raid night at voice.example.org:47000' }));
    expect(fake.actions()).toEqual([{ method: 'join', args: [{ target: 'voice.example.org:47000', name: 'Ada', room: 'Raid night' }] }]);
  });

  it('says that recent rooms appear after joining, on a first run', async () => {
    await renderApp(firstRunSnapshot);
    expect(within(screen.getByRole('region', { name: 'Recent rooms' })).getByText('Rooms you join appear here.')).toBeTruthy();
  });

  it('shows "Connecting…" with a Cancel that leaves, and locks the forms', async () => {
    const { user, fake } = await renderApp(connectingSnapshot);
    const status = screen.getByText('Connecting to', { exact: false }).closest('.status-panel')!;
    expect(status.textContent).toBe('Connecting to voice.example.org:47000…Cancel');
    // Disabled through their fieldsets.
    expect(screen.getByRole('button', { name: 'Join room' }).matches(':disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Host room' }).matches(':disabled')).toBe(true);
    expect(screen.getByRole('textbox', { name: 'Your name' }).matches(':disabled')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.actions()).toEqual([{ method: 'leave', args: [] }]);
  });

  it('shows a failed connection with its message and troubleshooting help', async () => {
    const { user, fake } = await renderApp(unreachableSnapshot);
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText('Relay unreachable')).toBeTruthy();
    expect(within(alert).getByText('The relay did not answer. Check the address, and that its UDP port is open.')).toBeTruthy();
    await user.click(within(alert).getByRole('button', { name: 'Troubleshooting' }));
    expect(fake.actions()).toEqual([{ method: 'openHelp', args: ['troubleshooting'] }]);
  });

  it('takes the user to the password field after a wrong password', async () => {
    await renderApp(wrongPasswordSnapshot);
    expect(screen.getByRole('alert').textContent).toBe('Wrong passwordWrong relay password.');
    expect(document.activeElement).toBe(screen.getByLabelText('Password (if the relay has one)'));
  });

  it('takes the user to the password field when the failure arrives before the answer to the join', async () => {
    // The main process publishes the failed state and then answers: the snapshot lands while the form is still busy (disabled).
    const { user, fake } = await renderApp(idleSnapshot);
    fake.respond('join', () => {
      fake.push({ ...wrongPasswordSnapshot, revision: idleSnapshot.revision + 1 });
      return { ok: false, error: { code: 'wrongPassword', message: 'Wrong relay password.' } };
    });
    const join = form('Join a room');
    await user.type(within(join).getByRole('textbox', { name: 'Address or invite link' }), '203.0.113.5:47000');
    await user.click(within(join).getByRole('button', { name: 'Join room' }));
    // The join's answer settles after the click: focus moves once the form is enabled again.
    await waitFor(() => expect(document.activeElement).toBe(within(join).getByLabelText('Password (if the relay has one)')));
  });

  it('says when the relay holds off after too many wrong passwords, and takes the user to the password field', async () => {
    const message = 'Too many wrong passwords from your network: wait a while, then try again with the right one.';
    await renderApp({ ...wrongPasswordSnapshot, connection: { state: 'failed', error: { code: 'tooManyAttempts', message } } });
    expect(screen.getByRole('alert').textContent).toBe(`Too many wrong passwords${message}`);
    expect(document.activeElement).toBe(screen.getByLabelText('Password (if the relay has one)'));
  });

  it('says when the room is full', async () => {
    await renderApp(roomFullSnapshot);
    expect(screen.getByRole('alert').textContent).toBe('Room fullThe room is full.');
    expect(screen.queryByRole('button', { name: 'Troubleshooting' })).toBeNull();
  });

  it('names an unknown failure plainly', async () => {
    await renderApp({ ...unreachableSnapshot, connection: { state: 'failed', error: { code: 'somethingNew', message: 'Something new went wrong.' } } });
    expect(screen.getByRole('alert').textContent).toBe('Could not connectSomething new went wrong.');
  });
});
