// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BrowseView } from '../../../electron/api/contract.js';
import { idleSnapshot } from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';

const listed: BrowseView = {
  target: '203.0.113.5:47000',
  state: 'listed',
  error: null,
  rooms: [
    { name: 'Lobby', locked: false, opensWithoutSecret: false, memberCount: 2, members: [{ name: 'Ana', muted: true, deafened: false }, { name: 'Ben', muted: false, deafened: false }], current: false },
    { name: 'Staff', locked: true, opensWithoutSecret: false, memberCount: 0, members: [], current: false },
  ],
};

describe('picking a room on the connect screen', () => {
  it('asks the relay typed in for its rooms', async () => {
    const { user, fake } = await renderApp(idleSnapshot);
    const form = screen.getByRole('form', { name: 'Join a room' });
    await user.click(within(form).getByRole('button', { name: 'Show rooms' }));
    expect(screen.getByText('Enter the relay’s address to see its rooms.')).toBeTruthy();
    expect(fake.callsTo('browseRooms')).toEqual([]);
    await user.type(within(form).getByLabelText('Address or invite link'), '203.0.113.5:47000');
    await user.click(within(form).getByRole('button', { name: 'Show rooms' }));
    expect(fake.callsTo('browseRooms')).toEqual([[{ target: '203.0.113.5:47000', name: 'Ada' }]]);
  });

  it('joins the room picked, with the secret typed for a locked one', async () => {
    const { user, fake, push } = await renderApp(idleSnapshot);
    await user.type(within(screen.getByRole('form', { name: 'Join a room' })).getByLabelText('Address or invite link'), '203.0.113.5:47000');
    await push({ ...idleSnapshot, revision: 2, browse: listed });
    const picker = within(screen.getByRole('region', { name: 'Rooms on 203.0.113.5:47000' }));
    expect(picker.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Lobby(2 members)JoinAna, mutedBen', 'Ana, muted', 'Ben', 'Staff(0 members), lockedJoin']);
    await user.click(picker.getByRole('button', { name: 'Join: Lobby' }));
    expect(fake.callsTo('join')).toEqual([[{ target: '203.0.113.5:47000', name: 'Ada', room: 'Lobby' }]]);
    await user.click(picker.getByRole('button', { name: 'Join: Staff' }));
    await user.type(picker.getByLabelText('Secret or password for Staff'), 'staff only');
    await user.click(within(screen.getByRole('form', { name: 'Secret for Staff' })).getByRole('button', { name: 'Join' }));
    expect(fake.callsTo('join')[1]).toEqual([{ target: '203.0.113.5:47000', name: 'Ada', room: 'Staff', secret: 'staff only' }]);
  });

  it('says why the rooms could not be listed, and closes', async () => {
    const { user, fake, push } = await renderApp(idleSnapshot);
    await push({ ...idleSnapshot, revision: 2, browse: { target: '203.0.113.5:47000', state: 'failed', rooms: [], error: { code: 'roomsPrivate', message: 'This relay keeps its rooms private: enter the name of the room you were invited to.' } } });
    expect(screen.getByRole('alert').textContent).toBe('This relay keeps its rooms private: enter the name of the room you were invited to.');
    await user.click(screen.getByRole('button', { name: 'Close the list of rooms' }));
    expect(fake.callsTo('stopBrowsing')).toEqual([[]]);
  });
});
