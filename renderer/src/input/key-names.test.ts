import { describe, expect, it } from 'vitest';
import { baseKeyName, displayKeyName, keyNameFromEvent, releasesBinding, type KeyLike } from './key-names.js';

function key(code: string, held: Partial<Omit<KeyLike, 'code'>> = {}): KeyLike {
  return { code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...held };
}

describe('push-to-talk key names', () => {
  it('names keys by their physical position', () => {
    expect(['KeyA', 'Digit7', 'F8', 'F24', 'Space', 'ArrowUp', 'Numpad5', 'NumpadAdd', 'Backquote', 'CapsLock', 'NumpadEnter'].map(baseKeyName)).toEqual([
      'A',
      '7',
      'F8',
      'F24',
      'Space',
      'Up',
      'num5',
      'numadd',
      '`',
      'Capslock',
      'Enter',
    ]);
    expect(baseKeyName('F25')).toBeNull();
    expect(baseKeyName('Fn')).toBeNull();
    expect(baseKeyName('ShiftLeft')).toBeNull();
  });

  it('writes modifiers first, in a fixed order', () => {
    expect(keyNameFromEvent(key('Space', { shiftKey: true, ctrlKey: true }))).toBe('Ctrl+Shift+Space');
    expect(keyNameFromEvent(key('KeyT', { metaKey: true, altKey: true }))).toBe('Alt+Super+T');
    expect(keyNameFromEvent(key('F8'))).toBe('F8');
    expect(keyNameFromEvent(key('IntlRo'))).toBeNull();
  });

  it('names a pressed modifier by itself, whether or not its own flag is already set', () => {
    expect(keyNameFromEvent(key('ControlRight'))).toBe('Ctrl');
    expect(keyNameFromEvent(key('ControlLeft', { ctrlKey: true }))).toBe('Ctrl');
    expect(keyNameFromEvent(key('ShiftLeft', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift');
    expect(keyNameFromEvent(key('MetaLeft'))).toBe('Super');
  });

  it('knows which key releases end a press', () => {
    expect(releasesBinding('Ctrl+Shift+Space', 'Space')).toBe(true);
    expect(releasesBinding('Ctrl+Shift+Space', 'ShiftRight')).toBe(true);
    expect(releasesBinding('Ctrl+Shift+Space', 'AltLeft')).toBe(false);
    expect(releasesBinding('F8', 'F9')).toBe(false);
    expect(releasesBinding('Ctrl', 'ControlLeft')).toBe(true);
  });

  it('shows names the way each platform calls the keys', () => {
    expect(displayKeyName('Ctrl+Shift+Space', 'linux')).toBe('Ctrl + Shift + Space');
    expect(displayKeyName('Ctrl+Alt+Super+K', 'darwin')).toBe('Control + Option + Cmd + K');
    expect(displayKeyName('num5', 'win32')).toBe('Numpad 5');
  });
});
