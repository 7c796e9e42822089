/**
 * Push-to-talk bindings are stored as accelerator-style names built from
 * physical keys ("F8", "Ctrl+Shift+Space", "num5"), as the settings screen
 * captures them. This turns a name into the keys a global hook must watch,
 * and tracks which are held: the binding is pressed while every part is.
 */

/** Parley's key names → the names of uiohook-napi's UiohookKey table. */
const HOOK_NAMES: Record<string, readonly string[]> = {
  Ctrl: ['Ctrl', 'CtrlRight'],
  Alt: ['Alt', 'AltRight'],
  Shift: ['Shift', 'ShiftRight'],
  Super: ['Meta', 'MetaRight'],
  Enter: ['Enter', 'NumpadEnter'],
  Up: ['ArrowUp'],
  Down: ['ArrowDown'],
  Left: ['ArrowLeft'],
  Right: ['ArrowRight'],
  Capslock: ['CapsLock'],
  Numlock: ['NumLock'],
  Scrolllock: ['ScrollLock'],
  numadd: ['NumpadAdd'],
  numsub: ['NumpadSubtract'],
  nummult: ['NumpadMultiply'],
  numdiv: ['NumpadDivide'],
  numdec: ['NumpadDecimal'],
  '`': ['Backquote'],
  '-': ['Minus'],
  '=': ['Equal'],
  '[': ['BracketLeft'],
  ']': ['BracketRight'],
  '\\': ['Backslash'],
  ';': ['Semicolon'],
  "'": ['Quote'],
  ',': ['Comma'],
  '.': ['Period'],
  '/': ['Slash'],
};

function hookNamesFor(part: string): readonly string[] {
  const mapped = HOOK_NAMES[part];
  if (mapped) return mapped;
  const numpad = /^num([0-9])$/.exec(part);
  if (numpad) return [`Numpad${numpad[1]!}`];
  return [part];
}

export type KeyTable = Record<string, number>;

/** Each part of the binding as the set of key codes that satisfy it; null if a part has no code in `table`. */
export function bindingKeycodes(binding: string, table: KeyTable): number[][] | null {
  const parts = binding.split('+').filter((p) => p !== '');
  if (parts.length === 0) return null;
  const result: number[][] = [];
  for (const part of parts) {
    const codes = hookNamesFor(part)
      .map((name) => table[name])
      .filter((code): code is number => code !== undefined);
    if (codes.length === 0) return null;
    result.push(codes);
  }
  return result;
}

/** Follows key downs and ups and says when the binding as a whole goes down or up. */
export class BindingTracker {
  private readonly held = new Set<number>();
  private pressed = false;

  constructor(private readonly parts: number[][]) {}

  private allHeld(): boolean {
    return this.parts.every((codes) => codes.some((code) => this.held.has(code)));
  }

  /** Returns the new pressed state when it changed, else null. */
  keyDown(code: number): boolean | null {
    this.held.add(code);
    if (!this.pressed && this.allHeld()) {
      this.pressed = true;
      return true;
    }
    return null;
  }

  keyUp(code: number): boolean | null {
    this.held.delete(code);
    if (this.pressed && !this.allHeld()) {
      this.pressed = false;
      return false;
    }
    return null;
  }

  get isPressed(): boolean {
    return this.pressed;
  }
}
