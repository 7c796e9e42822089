import { useEffect, useId, useRef, useState, type ReactElement } from 'react';
import type { SettingsPatch } from '../../../electron/api/contract.js';
import { displayKeyName, keyNameFromEvent, modifierOf } from '../input/key-names.js';

export interface KeyCaptureProps {
  value: string | null;
  platform: string;
  onChange: (patch: SettingsPatch) => void;
}

/**
 * "Press a key to bind": the next key press becomes the push-to-talk key.
 * A modifier pressed and released alone binds that modifier (many people
 * talk on Ctrl). Escape cancels, Tab moves on as usual.
 */
export function KeyCapture({ value, platform, onChange }: KeyCaptureProps): ReactElement {
  const [capturing, setCapturing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const instructionsId = useId();
  // Snapshots re-render this often; the listeners below must survive that mid-press, so they read the latest callback here.
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  useEffect(() => {
    if (!capturing) return;
    // Modifiers held so far, bound on release if no other key joins them.
    let modifiersOnly: string | null = null;
    const finish = (): void => setCapturing(false);
    const bind = (name: string): void => {
      finish();
      setProblem(null);
      onChangeRef.current({ pushToTalkKey: name });
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      const plain = !event.ctrlKey && !event.altKey && !event.shiftKey && !event.metaKey;
      if (event.code === 'Tab' && plain) return finish();
      // Capturing phase on window, and stopped here: push-to-talk and shortcuts do not see this key.
      event.preventDefault();
      event.stopPropagation();
      if (event.repeat) return;
      if (event.code === 'Escape' && plain) return finish();
      const name = keyNameFromEvent(event);
      if (modifierOf(event.code) !== null) {
        modifiersOnly = name;
      } else if (name === null) {
        modifiersOnly = null;
        setProblem(`Parley cannot use that key (${event.code || event.key}); choose another.`);
      } else {
        bind(name);
      }
    };
    const onKeyUp = (event: KeyboardEvent): void => {
      event.preventDefault();
      event.stopPropagation();
      if (modifiersOnly !== null && modifierOf(event.code) !== null) bind(modifiersOnly);
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    window.addEventListener('blur', finish);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
      window.removeEventListener('blur', finish);
    };
  }, [capturing]);

  return (
    <div className="key-capture">
      <p className="key-current">
        Push-to-talk key: {value === null ? <span className="hint">none</span> : <kbd>{displayKeyName(value, platform)}</kbd>}
      </p>
      <div className="button-row">
        <button
          type="button"
          className={`button${capturing ? ' capturing' : ''}`}
          aria-describedby={instructionsId}
          onClick={() => {
            setProblem(null);
            setCapturing(!capturing);
          }}
          onBlur={() => setCapturing(false)}
        >
          {capturing ? 'Press a key…' : value === null ? 'Choose a key' : 'Change key'}
        </button>
        {value !== null && !capturing && (
          <button type="button" className="button" onClick={() => onChange({ pushToTalkKey: null })}>
            Remove key
          </button>
        )}
      </div>
      <p id={instructionsId} className="hint" role="status">
        {capturing ? 'Press the key (or key combination) you want to hold while talking. Escape cancels.' : ''}
      </p>
      {problem && <p className="field-error">{problem}</p>}
    </div>
  );
}
