import { createRequire } from 'node:module';

/**
 * A global push-to-talk key: it reports press AND release while Parley is in
 * the background (Electron's globalShortcut reports presses only). Uses
 * uiohook-napi, an N-API hook with prebuilt binaries:
 * - Windows: works.
 * - macOS: works once Parley has the Accessibility permission.
 * - Linux X11: works. Wayland: only keys pressed in X11 (XWayland) windows
 *   reach it, so Parley falls back to push-to-talk while its window has focus.
 */
export interface PushToTalkHook {
  readonly scope: 'global' | 'focused';
  readonly note: string | null;
  setKey(code: string | null): void;
  stop(): void;
}

interface UiohookModule {
  uIOhook: {
    on(event: 'keydown' | 'keyup', listener: (event: { keycode: number }) => void): void;
    start(): void;
    stop(): void;
  };
  UiohookKey: Record<string, number>;
}

/** KeyboardEvent.code (what the settings store) → uiohook's key name, where the two differ. */
const CODE_TO_UIOHOOK: Record<string, string> = {
  ControlLeft: 'Ctrl',
  ControlRight: 'CtrlRight',
  AltLeft: 'Alt',
  AltRight: 'AltRight',
  ShiftLeft: 'Shift',
  ShiftRight: 'ShiftRight',
  MetaLeft: 'Meta',
  MetaRight: 'MetaRight',
  NumpadEnter: 'NumpadEnter',
};

export function uiohookKeyName(code: string): string {
  if (CODE_TO_UIOHOOK[code]) return CODE_TO_UIOHOOK[code]!;
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  return code;
}

function globalHookUnavailable(): string | null {
  if (process.platform === 'linux') {
    if (process.env.XDG_SESSION_TYPE === 'wayland' || (!process.env.DISPLAY && process.env.WAYLAND_DISPLAY)) {
      return 'Wayland does not let apps see keys pressed in other windows: push-to-talk works while Parley has focus.';
    }
    if (!process.env.DISPLAY) return 'No X display: push-to-talk works while Parley has focus.';
  }
  return null;
}

/** Starts the global hook if this system allows one; otherwise a focused-window fallback. */
export function startPushToTalkHook(onChange: (pressed: boolean) => void, macAccessibilityGranted: boolean): PushToTalkHook {
  const reason =
    globalHookUnavailable() ??
    (process.platform === 'darwin' && !macAccessibilityGranted
      ? 'Give Parley the Accessibility permission (System Settings → Privacy & Security) for push-to-talk in the background.'
      : null);
  if (reason) return focusedOnly(reason);
  let hook: UiohookModule;
  try {
    hook = createRequire(import.meta.url)('uiohook-napi') as UiohookModule;
    hook.uIOhook.start();
  } catch (error) {
    return focusedOnly(`The global key hook could not start (${(error as Error).message}): push-to-talk works while Parley has focus.`);
  }
  let keycode: number | undefined;
  let pressed = false;
  hook.uIOhook.on('keydown', (event) => {
    if (event.keycode === keycode && !pressed) {
      pressed = true;
      onChange(true);
    }
  });
  hook.uIOhook.on('keyup', (event) => {
    if (event.keycode === keycode && pressed) {
      pressed = false;
      onChange(false);
    }
  });
  return {
    scope: 'global',
    note: null,
    setKey(code) {
      keycode = code === null ? undefined : hook.UiohookKey[uiohookKeyName(code)];
      if (pressed) {
        pressed = false;
        onChange(false);
      }
    },
    stop: () => hook.uIOhook.stop(),
  };
}

function focusedOnly(note: string): PushToTalkHook {
  return { scope: 'focused', note, setKey() {}, stop() {} };
}
