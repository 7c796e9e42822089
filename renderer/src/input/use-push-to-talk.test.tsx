// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { pushToTalkSnapshot, roomSnapshot } from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';
import { isTextEntry } from './use-push-to-talk.js';

const focused: AppSnapshot = pushToTalkSnapshot;

describe('push-to-talk from the focused window', () => {
  it('presses on the bound key, once however long it is held, and releases on key up', async () => {
    const { user, fake } = await renderApp(focused);
    await user.keyboard('[F8>3]');
    expect(fake.actions()).toEqual([{ method: 'pushToTalk', args: [true] }]);
    await user.keyboard('[/F8]');
    expect(fake.actions()).toEqual([
      { method: 'pushToTalk', args: [true] },
      { method: 'pushToTalk', args: [false] },
    ]);
  });

  it('ignores other keys, and the bound key with other modifiers', async () => {
    const { user, fake } = await renderApp(focused);
    await user.keyboard('[F9]{Control>}[F8]{/Control}');
    expect(fake.actions()).toEqual([]);
  });

  it('never fires while typing in a text field', async () => {
    const { user, fake, container } = await renderApp(focused);
    // The room screen has no text field of its own today; any text field the window shows must be safe.
    const input = document.createElement('input');
    container.append(input);
    input.focus();
    await user.keyboard('[F8]');
    expect(input.value).toBe('');
    expect(fake.actions()).toEqual([]);
  });

  it('tells typing apart from other controls', () => {
    const make = (html: string): Element => {
      const host = document.createElement('div');
      host.innerHTML = html;
      return host.firstElementChild!;
    };
    expect(
      ['<input>', '<input type="search">', '<input type="password">', '<textarea></textarea>', '<div contenteditable="true"></div>'].map((html) =>
        isTextEntry(make(html)),
      ),
    ).toEqual([true, true, true, true, true]);
    expect(['<input type="range">', '<input type="checkbox">', '<button></button>', '<input readonly>', '<select></select>'].map((html) => isTextEntry(make(html)))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isTextEntry(null)).toBe(false);
  });

  it('releases when the window loses focus mid-press', async () => {
    const { user, fake } = await renderApp(focused);
    await user.keyboard('[F8>]');
    act(() => {
      fireEvent.blur(window);
    });
    expect(fake.callsTo('pushToTalk')).toEqual([[true], [false]]);
  });

  it('leaves the key alone when a global hook handles it, or when not in push-to-talk', async () => {
    const { user, fake, push } = await renderApp({ ...focused, pushToTalk: { scope: 'global', note: null, pressed: false } });
    await user.keyboard('[F8]');
    await push({ ...roomSnapshot, revision: 60, settings: { ...roomSnapshot.settings, activation: 'voice', pushToTalkKey: 'F8' } });
    await user.keyboard('[F8]');
    expect(fake.actions()).toEqual([]);
  });

  it('does not let Space also click the focused button', async () => {
    const { user, fake } = await renderApp({ ...focused, settings: { ...focused.settings, pushToTalkKey: 'Space' } });
    screen.getByRole('button', { name: 'Mute' }).focus();
    await user.keyboard('[Space]');
    expect(fake.actions()).toEqual([
      { method: 'pushToTalk', args: [true] },
      { method: 'pushToTalk', args: [false] },
    ]);
  });
});
