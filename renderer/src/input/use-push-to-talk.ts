import { useEffect, useRef } from 'react';
import type { ParleyApi } from '../../../electron/api/contract.js';
import { keyNameFromEvent, releasesBinding } from './key-names.js';

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);

/** Whether a key press there is someone typing: push-to-talk must not steal their keys. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])') !== null) return true;
  if (target instanceof HTMLTextAreaElement) return !target.readOnly;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type) && !target.readOnly;
  return false;
}

/**
 * Push-to-talk from the window itself, for when the main process has no
 * global key hook (scope "focused"). The press starts on the bound key (with
 * its modifiers), ends when any key of the binding is released, and also
 * when the window loses focus, since the release would then never arrive.
 */
export function useFocusedPushToTalk(api: ParleyApi, binding: string | null, enabled: boolean): void {
  const pressed = useRef(false);
  useEffect(() => {
    if (!enabled || binding === null) return;
    const release = (): void => {
      if (!pressed.current) return;
      pressed.current = false;
      void api.pushToTalk(false);
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || isTextEntry(event.target)) return;
      if (keyNameFromEvent(event) !== binding) return;
      // The key is ours now: Space must not also click the focused button.
      event.preventDefault();
      if (pressed.current) return;
      pressed.current = true;
      void api.pushToTalk(true);
    };
    const onKeyUp = (event: KeyboardEvent): void => {
      if (pressed.current && releasesBinding(binding, event.code)) {
        event.preventDefault();
        release();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', release);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', release);
      // Unbinding or switching to the global hook mid-press must not leave the microphone open.
      release();
    };
  }, [api, binding, enabled]);
}
