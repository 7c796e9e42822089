// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ENCRYPTED_TEXT, NOT_ENCRYPTED_TEXT } from './EncryptionBadge.js';
import { hostingLanOnlySnapshot, hostingSnapshot, pushToTalkSnapshot, reconnectingSnapshot, room, roomSnapshot, unencryptedSnapshot } from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';

describe('room screen', () => {
  it('names the room and lists the members, self first, with their states for screen readers', async () => {
    await renderApp(roomSnapshot);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Raid night');
    expect(screen.getByText('voice.example.org:47000')).toBeTruthy();
    const members = within(screen.getByRole('region', { name: 'In this room (4)' })).getAllByRole('listitem');
    expect(members.map((li) => li.querySelector('.member-name')!.textContent)).toEqual([
      'Ada (you)',
      'Ben, speaking',
      'Chloe, muted',
      'Dev, deafened, muted by you',
    ]);
    expect(members[1]!.classList.contains('member-talking')).toBe(true);
    expect(members.filter((li) => li.classList.contains('member-talking'))).toHaveLength(1);
  });

  it('shows each level as a meter in dB', async () => {
    await renderApp(roomSnapshot);
    expect(screen.getByRole('meter', { name: 'Your microphone level' }).getAttribute('aria-valuetext')).toBe('\u221252 dB');
    expect(screen.getByRole('meter', { name: "Ben's level" }).getAttribute('aria-valuenow')).toBe('-18');
    expect(screen.getByRole('meter', { name: "Chloe's level" }).getAttribute('aria-valuetext')).toBe('silent');
  });

  it('shows an "Encrypted" badge that explains itself', async () => {
    const { user } = await renderApp(roomSnapshot);
    const badge = screen.getByRole('button', { name: 'Encrypted' });
    expect(badge.getAttribute('title')).toBe(ENCRYPTED_TEXT);
    expect(badge.getAttribute('aria-expanded')).toBe('false');
    const description = document.getElementById(badge.getAttribute('aria-describedby')!)!;
    expect(description.textContent).toBe(ENCRYPTED_TEXT);
    expect(description.hidden).toBe(true);
    await user.click(badge);
    expect(description.hidden).toBe(false);
    expect(badge.getAttribute('aria-expanded')).toBe('true');
  });

  it('says "Not encrypted" for a room without a secret', async () => {
    await renderApp(unencryptedSnapshot);
    expect(screen.queryByRole('button', { name: 'Encrypted' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Not encrypted' }).getAttribute('title')).toBe(NOT_ENCRYPTED_TEXT);
  });

  it('mute and deafen are toggle buttons that call the API once', async () => {
    const { user, fake, push } = await renderApp(roomSnapshot);
    const mute = screen.getByRole('button', { name: 'Mute' });
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    await user.click(mute);
    expect(fake.actions()).toEqual([{ method: 'setMuted', args: [true] }]);

    await push({ ...roomSnapshot, revision: 11, room: { ...room, self: { ...room.self, muted: true } } });
    expect(screen.getByRole('button', { name: 'Mute' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('You are muted: nobody hears you.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Mute' }));
    await user.click(screen.getByRole('button', { name: 'Deafen' }));
    expect(fake.actions()).toEqual([
      { method: 'setMuted', args: [true] },
      { method: 'setMuted', args: [false] },
      { method: 'setDeafened', args: [true] },
    ]);
  });

  it('the volume slider sets a peer volume of 0–200 %', async () => {
    const { fake } = await renderApp(roomSnapshot);
    const slider = screen.getByRole('slider', { name: 'Volume for Ben' }) as HTMLInputElement;
    expect(slider.value).toBe('100');
    expect(slider.min).toBe('0');
    expect(slider.max).toBe('200');
    expect(slider.getAttribute('aria-valuetext')).toBe('100 %');
    fireEvent.change(slider, { target: { value: '150' } });
    expect(fake.actions()).toEqual([{ method: 'setPeerVolume', args: ['Ben', 1.5] }]);
    // Until the snapshot catches up the slider shows the chosen value, not the stale one.
    expect(slider.value).toBe('150');
    expect(slider.getAttribute('aria-valuetext')).toBe('150 %');
    expect(screen.getByRole('slider', { name: 'Volume for Dev' }).getAttribute('aria-valuetext')).toBe('60 %');
  });

  it('mutes a peer locally', async () => {
    const { user, fake } = await renderApp(roomSnapshot);
    const chloe = screen.getByRole('button', { name: 'Mute Chloe for me' });
    expect(chloe.getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('button', { name: 'Mute Dev for me' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(chloe);
    expect(fake.actions()).toEqual([{ method: 'setPeerMuted', args: ['Chloe', true] }]);
  });

  it('opens connection details with round trip, loss, jitter and the rate received', async () => {
    const { user } = await renderApp(roomSnapshot);
    const button = screen.getByRole('button', { name: 'Connection details for Dev: Poor connection' });
    const details = document.getElementById(button.getAttribute('aria-controls')!)!;
    expect(details.hidden).toBe(true);
    await user.click(button);
    expect(details.hidden).toBe(false);
    const rows = [...details.querySelectorAll('.quality-row')].map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent]);
    expect(rows).toEqual([
      ['Round trip', '420 ms'],
      ['Packet loss', '12 %'],
      ['Jitter', '48 ms'],
      ['Late packets', '6.0 %'],
      ['Buffer', '160 ms'],
      ['Receiving', '0.0 kbps'],
    ]);
    expect(screen.getByRole('button', { name: 'Connection details for your connection: Good connection' })).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(details.hidden).toBe(true);
    expect(document.activeElement).toBe(button);
  });

  it('says in the connection details when the call goes over TCP because the network blocks UDP', async () => {
    const { user } = await renderApp({ ...roomSnapshot, room: { ...room, self: { ...room.self, transport: 'tcp' } } });
    const button = screen.getByRole('button', { name: 'Connection details for your connection: Good connection' });
    await user.click(button);
    const details = document.getElementById(button.getAttribute('aria-controls')!)!;
    const rows = [...details.querySelectorAll('.quality-row')].map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent]);
    expect(rows).toContainEqual(['Connection', 'via TCP (this network blocks UDP)']);
  });

  it('leaves the room', async () => {
    const { user, fake } = await renderApp(roomSnapshot);
    expect(screen.queryByRole('button', { name: 'Stop hosting' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Leave' }));
    expect(fake.actions()).toEqual([{ method: 'leave', args: [] }]);
  });

  it('when the router did not open the port: says who can join and what to forward, as text', async () => {
    await renderApp(hostingLanOnlySnapshot);
    const panel = screen.getByRole('region', { name: 'You are hosting on port 47000' });
    const verdict = within(panel).getByText("Only people on your network can join: your router did not open the port. Forward UDP 47000 to 192.168.1.20 in your router's settings.");
    expect(verdict.dataset.verdict).toBe('lanOnly');
    expect(verdict.children).toHaveLength(0);
  });

  it('when hosting: addresses, invite link, Copy invite, and Stop hosting after a confirmation', async () => {
    const { user, fake } = await renderApp(hostingSnapshot);
    const panel = screen.getByRole('region', { name: 'You are hosting on port 47000' });
    expect(within(panel).getByText('Friends anywhere can join at 198.51.100.23:47000 (your router opened the port).').dataset.verdict).toBe('anywhere');
    expect(within(panel).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '198.51.100.23:47000',
      '192.168.1.20:47000',
      '[2001:db8::20]:47000',
    ]);
    expect((within(panel).getByRole('textbox', { name: 'Invite link' }) as HTMLInputElement).value).toBe(
      'parley://198.51.100.23:47000/Lobby#secret=q3Jx7cV0bR2mYk8sTn4wHg',
    );
    await user.click(within(panel).getByRole('button', { name: 'Copy invite' }));
    expect(fake.actions()).toEqual([{ method: 'copyInvite', args: [] }]);
    expect(within(panel).getByRole('status').textContent).toBe('Invite link copied.');

    await user.click(screen.getByRole('button', { name: 'Stop hosting' }));
    expect(fake.callsTo('leave')).toEqual([]);
    const confirm = screen.getByRole('group', { name: 'Stop hosting?' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Stop hosting now' }));
    await user.click(within(confirm).getByRole('button', { name: 'Stop hosting now' }));
    expect(fake.callsTo('leave')).toEqual([[]]);
  });

  it('shows why copying the invite failed', async () => {
    const { user, fake } = await renderApp(hostingSnapshot);
    fake.respond('copyInvite', () => ({ ok: false, error: { code: 'clipboard', message: 'The clipboard is not available.' } }));
    await user.click(screen.getByRole('button', { name: 'Copy invite' }));
    expect(screen.getByRole('alert').textContent).toBe('The clipboard is not available.');
    expect(screen.getByRole('region', { name: 'You are hosting on port 47000' }).querySelector('[role="status"]')!.textContent).toBe('');
  });

  it('shows the reconnecting banner with reason, attempt, countdown and last error', async () => {
    await renderApp(reconnectingSnapshot);
    const banner = screen.getByText(/Reconnecting \(attempt 3\)/).closest('.banner')!;
    expect(banner.textContent).toBe(
      'Connection lost. Reconnecting (attempt 3)Next try in 4 s.Last error: The relay did not answer. Check the address, and that its UDP port is open.',
    );
  });

  it('shows a connection that failed for good above the room, with its message', async () => {
    await renderApp({ ...roomSnapshot, connection: { state: 'failed', error: { code: 'connectionLost', message: 'The relay stopped answering.' } } });
    expect(screen.getByRole('alert').textContent).toBe('Connection lostThe relay stopped answering.');
    expect(screen.getByRole('button', { name: 'Leave' })).toBeTruthy();
  });

  it('counts the retry down between snapshots', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      await renderApp(reconnectingSnapshot);
      expect(screen.getByText('Next try in 4 s.')).toBeTruthy();
      await act(async () => vi.advanceTimersByTime(1500));
      expect(screen.getByText('Next try in 3 s.')).toBeTruthy();
      await act(async () => vi.advanceTimersByTime(3000));
      expect(screen.getByText('Trying now…')).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('hints how push-to-talk works here', async () => {
    const { push } = await renderApp(pushToTalkSnapshot);
    expect(screen.getByText("Hold F8 to talk (while Parley's window is focused).")).toBeTruthy();
    await push({ ...pushToTalkSnapshot, revision: 99, pushToTalk: { ...pushToTalkSnapshot.pushToTalk, pressed: true } });
    expect(screen.getByText('Talking (F8 held).')).toBeTruthy();
  });

  it('says when nobody else is there', async () => {
    await renderApp({ ...roomSnapshot, room: { ...room, peers: [] } });
    expect(screen.getByText('Nobody else is here yet.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'In this room (1)' })).toBeTruthy();
  });
});
