import { createRequire } from 'node:module';
import { BindingTracker, bindingKeycodes, type KeyTable } from '../app/push-to-talk-binding.js';

/**
 * A global push-to-talk key: it reports press AND release while Parley is in
 * the background (Electron's globalShortcut reports presses only). Uses
 * uiohook-napi, an N-API hook with prebuilt binaries:
 * - Windows: works.
 * - macOS: works once Parley has the Accessibility permission.
 * - Linux X11: works. Wayland: keys pressed in native Wayland windows never
 *   reach it, so Parley falls back to push-to-talk while its window has focus.
 */
export interface PushToTalkHook {
  readonly scope: 'global' | 'focused';
  readonly note: string | null;
  /** Watches a new binding (a settings name); a binding the hook cannot see returns a note. */
  setBinding(binding: string | null): string | null;
  stop(): void;
}

interface UiohookModule {
  uIOhook: {
    on(event: 'keydown' | 'keyup', listener: (event: { keycode: number }) => void): void;
    start(): void;
    stop(): void;
  };
  UiohookKey: KeyTable;
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
  let tracker: BindingTracker | undefined;
  const report = (change: boolean | null | undefined): void => {
    if (change !== null && change !== undefined) onChange(change);
  };
  hook.uIOhook.on('keydown', (event) => report(tracker?.keyDown(event.keycode)));
  hook.uIOhook.on('keyup', (event) => report(tracker?.keyUp(event.keycode)));
  return {
    scope: 'global',
    note: null,
    setBinding(binding) {
      if (tracker?.isPressed) onChange(false);
      const parts = binding === null ? null : bindingKeycodes(binding, hook.UiohookKey);
      tracker = parts ? new BindingTracker(parts) : undefined;
      return binding !== null && !parts ? `${binding} cannot be watched in the background: it works while Parley has focus.` : null;
    },
    stop: () => hook.uIOhook.stop(),
  };
}

function focusedOnly(note: string): PushToTalkHook {
  return { scope: 'focused', note, setBinding: () => null, stop() {} };
}
