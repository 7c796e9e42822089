// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { idleSnapshot } from '../fixtures.js';
import { renderApp, type RenderedApp } from '../testing/render-app.js';

const NAME_TOO_LONG = 'This name is too long: it takes 33 bytes, and the limit is 32. Accented letters and many scripts take 2 to 4 bytes each.';
const ROOM_TOO_LONG = 'This room name is too long: it takes 65 bytes, and the limit is 64. Accented letters and many scripts take 2 to 4 bytes each.';

/** The field's error, as a screen reader finds it: the described-by text marked as an error. */
function errorOf(input: HTMLElement): string | null {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)).find((element) => element?.classList.contains('field-error'))?.textContent ?? null;
}

async function withName(name: string): Promise<RenderedApp & { field: HTMLElement }> {
  const app = await renderApp(idleSnapshot);
  const field = screen.getByRole('textbox', { name: 'Your name' });
  await app.user.clear(field);
  await app.user.type(field, name);
  return { ...app, field };
}

async function joinAt(app: RenderedApp, room: string): Promise<void> {
  const join = within(screen.getByRole('form', { name: 'Join a room' }));
  await app.user.type(join.getByRole('textbox', { name: 'Address or invite link' }), '203.0.113.5:47000');
  if (room !== '') await app.user.type(join.getByRole('textbox', { name: 'Room' }), room);
  await app.user.click(join.getByRole('button', { name: 'Join room' }));
}

describe('name and room limits in the connect forms, counted in UTF-8 bytes as the relay counts them', () => {
  it('refuses a name of 11 three-byte characters (33 bytes) and says why, sending nothing', async () => {
    const app = await withName('日'.repeat(11));
    expect((app.field as HTMLInputElement).value).toBe('日'.repeat(11));
    await joinAt(app, '');
    expect(app.fake.actions()).toEqual([]);
    expect(app.field.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(app.field)).toBe(NAME_TOO_LONG);
    expect(document.activeElement).toBe(app.field);
  });

  it('refuses the same name for hosting', async () => {
    const app = await withName('日'.repeat(11));
    await app.user.click(within(screen.getByRole('form', { name: 'Host a room' })).getByRole('button', { name: 'Host room' }));
    expect(app.fake.actions()).toEqual([]);
    expect(errorOf(app.field)).toBe(NAME_TOO_LONG);
  });

  it('joins with a name of 32 ASCII characters, or of 32 bytes in fewer characters', async () => {
    for (const name of ['a'.repeat(32), 'Zoë'.repeat(8)]) {
      const app = await withName(name);
      await joinAt(app, '');
      expect(app.fake.actions()).toEqual([{ method: 'join', args: [{ target: '203.0.113.5:47000', name }] }]);
      expect(errorOf(app.field)).toBeNull();
      app.unmount();
    }
  });

  it('clears the name’s error once it fits', async () => {
    const app = await withName('日'.repeat(11));
    await joinAt(app, '');
    await app.user.type(app.field, '{Backspace}');
    await app.user.click(screen.getByRole('button', { name: 'Join room' }));
    expect(errorOf(app.field)).toBeNull();
    expect(app.fake.actions()).toEqual([{ method: 'join', args: [{ target: '203.0.113.5:47000', name: '日'.repeat(10) }] }]);
  });

  it('stops typing at 32 characters where each is one byte', async () => {
    const app = await withName('a'.repeat(40));
    expect((app.field as HTMLInputElement).value).toBe('a'.repeat(32));
  });

  it('refuses a room of 65 bytes in the join form and joins with one of 64', async () => {
    const app = await renderApp(idleSnapshot);
    await joinAt(app, `${'é'.repeat(32)}x`);
    const room = screen.getByRole('textbox', { name: 'Room' });
    expect(app.fake.actions()).toEqual([]);
    expect(room.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(room)).toBe(ROOM_TOO_LONG);
    await app.user.type(room, '{Backspace}');
    await app.user.click(screen.getByRole('button', { name: 'Join room' }));
    expect(errorOf(room)).toBeNull();
    expect(app.fake.actions()).toEqual([{ method: 'join', args: [{ target: '203.0.113.5:47000', name: 'Ada', room: 'é'.repeat(32) }] }]);
  });

  it('refuses a room of 65 bytes for hosting and hosts with one of 64', async () => {
    const app = await renderApp(idleSnapshot);
    const host = within(screen.getByRole('form', { name: 'Host a room' }));
    const room = host.getByRole('textbox', { name: 'Room name' });
    await app.user.clear(room);
    await app.user.type(room, `${'é'.repeat(32)}x`);
    await app.user.click(host.getByRole('button', { name: 'Host room' }));
    expect(app.fake.actions()).toEqual([]);
    expect(errorOf(room)).toBe(ROOM_TOO_LONG);
    await app.user.type(room, '{Backspace}');
    await app.user.click(host.getByRole('button', { name: 'Host room' }));
    expect(app.fake.actions()).toEqual([{ method: 'host', args: [{ name: 'Ada', room: 'é'.repeat(32), port: 47000 }] }]);
  });
});
