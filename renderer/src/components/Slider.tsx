import { useEffect, useId, useState, type ReactElement } from 'react';

export interface SliderProps {
  label: string;
  /** Keep the label for screen readers only (the row around it already says what it is). */
  hideLabel?: boolean;
  min: number;
  max: number;
  step: number;
  value: number;
  format: (value: number) => string;
  onChange: (value: number) => void;
  disabled?: boolean;
  className?: string;
}

/**
 * A range input with its value shown beside it. While the user drags, it
 * shows what they chose rather than the last snapshot (which trails by an
 * IPC round trip and would make the thumb jump back), until the snapshot
 * catches up or focus leaves.
 */
export function Slider({ label, hideLabel = false, min, max, step, value, format, onChange, disabled, className }: SliderProps): ReactElement {
  const id = useId();
  const [draft, setDraft] = useState<number | null>(null);
  useEffect(() => {
    if (draft !== null && draft === value) setDraft(null);
  }, [draft, value]);
  const shown = draft ?? value;
  return (
    <div className={`slider${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={shown}
        disabled={disabled}
        aria-valuetext={format(shown)}
        onChange={(event) => {
          const next = Number(event.target.value);
          setDraft(next);
          onChange(next);
        }}
        onBlur={() => setDraft(null)}
      />
      <output htmlFor={id} className="slider-value" aria-hidden="true">
        {format(shown)}
      </output>
    </div>
  );
}
