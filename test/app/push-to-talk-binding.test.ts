import { describe, expect, it } from 'vitest';
import { BindingTracker, bindingKeycodes } from '../../electron/app/push-to-talk-binding.js';

// A slice of uiohook-napi's UiohookKey table (its real values).
const table = { F8: 66, Ctrl: 29, CtrlRight: 3613, Shift: 42, ShiftRight: 54, Space: 57, V: 47, Numpad5: 76, Backquote: 41, Enter: 28, NumpadEnter: 3612 };

describe('push-to-talk bindings', () => {
  it('map every part of a name to the hook’s key codes', () => {
    expect(bindingKeycodes('F8', table)).toEqual([[66]]);
    expect(bindingKeycodes('Ctrl+Shift+Space', table)).toEqual([[29, 3613], [42, 54], [57]]);
    expect(bindingKeycodes('num5', table)).toEqual([[76]]);
    expect(bindingKeycodes('`', table)).toEqual([[41]]);
    expect(bindingKeycodes('Enter', table)).toEqual([[28, 3612]]);
    expect(bindingKeycodes('MediaPlayPause', table)).toBeNull();
    expect(bindingKeycodes('', table)).toBeNull();
  });

  it('press when every part is held, in any order, and release when any part lets go', () => {
    const tracker = new BindingTracker(bindingKeycodes('Ctrl+Space', table)!);
    expect([tracker.keyDown(57), tracker.keyDown(3613), tracker.keyDown(57), tracker.keyUp(3613), tracker.keyUp(57)]).toEqual([null, true, null, false, null]);
    expect([tracker.keyDown(29), tracker.keyDown(57), tracker.keyDown(3613), tracker.keyUp(29), tracker.keyUp(3613)]).toEqual([null, true, null, null, false]);
    expect(tracker.isPressed).toBe(false);
  });

  it('ignore other keys', () => {
    const tracker = new BindingTracker(bindingKeycodes('F8', table)!);
    expect([tracker.keyDown(47), tracker.keyUp(47), tracker.keyDown(66), tracker.keyDown(47), tracker.keyUp(66)]).toEqual([null, null, true, null, false]);
  });
});
