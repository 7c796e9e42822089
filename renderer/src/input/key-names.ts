/**
 * Push-to-talk keys are stored as names in the style of Electron accelerators
 * ("F8", "Ctrl+Shift+Space"), which is what settings.pushToTalkKey holds and
 * what the main process's hotkey hook is given. Names come from the physical
 * key (KeyboardEvent.code), so a binding survives a change of keyboard layout.
 */

export interface KeyLike {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

export type Modifier = 'Ctrl' | 'Alt' | 'Shift' | 'Super';

const MODIFIER_ORDER: readonly Modifier[] = ['Ctrl', 'Alt', 'Shift', 'Super'];

const MODIFIER_CODES: Record<string, Modifier> = {
  ControlLeft: 'Ctrl',
  ControlRight: 'Ctrl',
  AltLeft: 'Alt',
  AltRight: 'Alt',
  ShiftLeft: 'Shift',
  ShiftRight: 'Shift',
  MetaLeft: 'Super',
  MetaRight: 'Super',
  OSLeft: 'Super',
  OSRight: 'Super',
};

const NAMED_CODES: Record<string, string> = {
  Space: 'Space',
  Enter: 'Enter',
  NumpadEnter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  CapsLock: 'Capslock',
  NumLock: 'Numlock',
  ScrollLock: 'Scrolllock',
  PrintScreen: 'PrintScreen',
  Pause: 'Pause',
  ContextMenu: 'Menu',
  Backquote: '`',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  IntlBackslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  NumpadAdd: 'numadd',
  NumpadSubtract: 'numsub',
  NumpadMultiply: 'nummult',
  NumpadDivide: 'numdiv',
  NumpadDecimal: 'numdec',
  MediaPlayPause: 'MediaPlayPause',
  MediaTrackNext: 'MediaNextTrack',
  MediaTrackPrevious: 'MediaPreviousTrack',
  MediaStop: 'MediaStop',
  AudioVolumeUp: 'VolumeUp',
  AudioVolumeDown: 'VolumeDown',
  AudioVolumeMute: 'VolumeMute',
};

/** The modifier a key is, or null for every other key. */
export function modifierOf(code: string): Modifier | null {
  return MODIFIER_CODES[code] ?? null;
}

/** The name of the key itself, without modifiers; null for modifiers and keys Parley cannot name. */
export function baseKeyName(code: string): string | null {
  const named = NAMED_CODES[code];
  if (named !== undefined) return named;
  let match = /^Key([A-Z])$/.exec(code);
  if (match) return match[1]!;
  match = /^Digit([0-9])$/.exec(code);
  if (match) return match[1]!;
  match = /^Numpad([0-9])$/.exec(code);
  if (match) return `num${match[1]!}`;
  match = /^F([1-9]|1[0-9]|2[0-4])$/.exec(code);
  if (match) return `F${match[1]!}`;
  return null;
}

export function heldModifiers(event: KeyLike): Modifier[] {
  const held: Record<Modifier, boolean> = { Ctrl: event.ctrlKey, Alt: event.altKey, Shift: event.shiftKey, Super: event.metaKey };
  return MODIFIER_ORDER.filter((m) => held[m]);
}

export function joinKeyName(modifiers: readonly Modifier[], base: string | null): string {
  const ordered = MODIFIER_ORDER.filter((m) => modifiers.includes(m));
  return [...ordered, ...(base === null ? [] : [base])].join('+');
}

/**
 * The binding a key press means: "Ctrl+Shift+Space" for a key with modifiers
 * held, "Ctrl" or "Ctrl+Shift" when the pressed key is itself a modifier
 * (a lone modifier is a common push-to-talk key). Null for unnamed keys.
 */
export function keyNameFromEvent(event: KeyLike): string | null {
  const modifier = modifierOf(event.code);
  if (modifier !== null) {
    // Some platforms report the modifier's own flag only after its keydown: add it here.
    return joinKeyName([...heldModifiers(event), modifier], null);
  }
  const base = baseKeyName(event.code);
  if (base === null) return null;
  return joinKeyName(heldModifiers(event), base);
}

/** The parts of a stored name ("Ctrl+F8" → ["Ctrl", "F8"]). */
export function keyNameParts(name: string): string[] {
  // "+" itself is not a key name here (it is "=" with Shift, or "numadd"), so splitting is safe.
  return name.split('+').filter((part) => part !== '');
}

/** Whether releasing this physical key ends a press of the binding. */
export function releasesBinding(binding: string, code: string): boolean {
  const parts = keyNameParts(binding);
  const modifier = modifierOf(code);
  if (modifier !== null) return parts.includes(modifier);
  const base = baseKeyName(code);
  return base !== null && parts.includes(base);
}

const MAC_NAMES: Record<string, string> = { Super: 'Cmd', Alt: 'Option', Ctrl: 'Control' };

/** How a binding is shown: macOS calls the modifiers by their own names. */
export function displayKeyName(name: string, platform: string): string {
  const parts = keyNameParts(name);
  const shown = platform === 'darwin' ? parts.map((p) => MAC_NAMES[p] ?? p) : parts;
  return shown.map((p) => (p.startsWith('num') && p.length > 3 ? `Numpad ${p.slice(3)}` : p)).join(' + ');
}
