// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { room, roomSnapshot } from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';

const tree = () => within(screen.getByRole('region', { name: 'Rooms on this relay (4)' }));

/** Each room as the tree reads: its name and count, then its members. */
const shown = (): string[] =>
  tree()
    .getAllByRole('listitem')
    .filter((li) => li.classList.contains('tree-room'))
    .map((li) => `${li.querySelector('.tree-room-name')!.textContent} ${li.querySelector('.count')!.textContent}: ${[...li.querySelectorAll('.tree-member-name')].map((m) => m.textContent).join(', ')}`);

describe('the room tree', () => {
  it('shows every room with its count and members, ours marked, as text', async () => {
    await renderApp(roomSnapshot);
    expect(shown()).toEqual(['AFK (1 member): Sam', 'Raid night (4 members): Ada, Ben, Chloe, Dev', 'Strategy (2 members): Mira, Olu', 'Watch party (0 members): ']);
    expect(tree().getByText('You are here').closest('.tree-room')!.classList.contains('tree-room-current')).toBe(true);
    expect(tree().queryByRole('button', { name: 'Move here: Raid night' })).toBeNull();
  });

  it('moves to an open room at once, and asks a locked one’s secret first', async () => {
    const { user, fake } = await renderApp(roomSnapshot);
    await user.click(tree().getByRole('button', { name: 'Move here: AFK' }));
    expect(fake.callsTo('moveToRoom')).toEqual([[{ room: 'AFK' }]]);

    const strategy = tree().getByRole('button', { name: 'Move here: Strategy' });
    await user.click(strategy);
    expect(strategy.getAttribute('aria-expanded')).toBe('true');
    expect(fake.callsTo('moveToRoom')).toHaveLength(1);
    const form = screen.getByRole('form', { name: 'Secret for Strategy' });
    await user.type(within(form).getByLabelText('Secret or password for Strategy'), 'tactics');
    await user.click(within(form).getByRole('button', { name: 'Move here' }));
    expect(fake.callsTo('moveToRoom')).toEqual([[{ room: 'AFK' }], [{ room: 'Strategy', secret: 'tactics' }]]);
    // Once the move went through, the secret box closes.
    expect(screen.queryByRole('form', { name: 'Secret for Strategy' })).toBeNull();
  });

  it('says why a move was refused, and shows a name that looks like markup as text', async () => {
    const fake = await renderApp({
      ...roomSnapshot,
      room: { ...room, directory: [...room.directory!, { name: '<img src=x onerror=alert(1)>', locked: false, opensWithoutSecret: false, memberCount: 1, members: [{ name: '<b>Eve</b>', muted: false, deafened: false }], current: false }] },
    } satisfies AppSnapshot);
    fake.fake.respond('moveToRoom', () => ({ ok: false, error: { code: 'roomFull', message: 'The room is full.' } }));
    await fake.user.click(screen.getByRole('button', { name: 'Move here: <img src=x onerror=alert(1)>' }));
    expect(screen.getByRole('alert').textContent).toBe('The room is full.');
    expect(document.querySelector('.rooms img, .rooms b')).toBeNull();
    expect(screen.getByText('<b>Eve</b>')).toBeTruthy();
  });

  it('is not shown when the relay lists no rooms', async () => {
    await renderApp({ ...roomSnapshot, room: { ...room, directory: null } });
    expect(screen.queryByRole('region', { name: /Rooms on this relay/ })).toBeNull();
  });
});
