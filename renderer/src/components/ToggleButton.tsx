import type { ReactElement } from 'react';
import { Icon, type IconName } from './Icon.js';

export interface ToggleButtonProps {
  /** The name stays the same in both states (as ARIA asks of toggle buttons); aria-pressed tells the state. */
  label: string;
  pressed: boolean;
  onToggle: (pressed: boolean) => void;
  icon: IconName;
  pressedIcon?: IconName;
  /** Visible text; defaults to the label. */
  text?: string;
  hideText?: boolean;
  className?: string;
  disabled?: boolean;
}

export function ToggleButton({ label, pressed, onToggle, icon, pressedIcon, text, hideText = false, className, disabled }: ToggleButtonProps): ReactElement {
  return (
    <button
      type="button"
      className={`button toggle${className ? ` ${className}` : ''}`}
      aria-pressed={pressed}
      aria-label={hideText ? label : undefined}
      title={hideText ? label : undefined}
      disabled={disabled}
      onClick={() => onToggle(!pressed)}
    >
      <Icon name={pressed && pressedIcon ? pressedIcon : icon} />
      {!hideText && <span>{text ?? label}</span>}
    </button>
  );
}
