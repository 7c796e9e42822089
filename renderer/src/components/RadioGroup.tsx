import { useId, type ReactElement, type ReactNode } from 'react';

export interface RadioOption<T extends string | number> {
  value: T;
  label: string;
  hint?: ReactNode;
}

export interface RadioGroupProps<T extends string | number> {
  legend: string;
  options: ReadonlyArray<RadioOption<T>>;
  value: T;
  onChange: (value: T) => void;
  className?: string;
}

/** A fieldset of radio buttons: arrow keys move between them, the legend names the group. */
export function RadioGroup<T extends string | number>({ legend, options, value, onChange, className }: RadioGroupProps<T>): ReactElement {
  const name = useId();
  return (
    <fieldset className={`radio-group${className ? ` ${className}` : ''}`}>
      <legend>{legend}</legend>
      {options.map((option) => {
        const id = `${name}-${option.value}`;
        return (
          <div key={option.value} className="radio">
            <input
              type="radio"
              id={id}
              name={name}
              value={String(option.value)}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              aria-describedby={option.hint ? `${id}-hint` : undefined}
            />
            <label htmlFor={id}>{option.label}</label>
            {option.hint && (
              <p className="hint" id={`${id}-hint`}>
                {option.hint}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

export function Checkbox({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: ReactNode }): ReactElement {
  const id = useId();
  return (
    <div className="checkbox">
      <input type="checkbox" id={id} checked={checked} onChange={(event) => onChange(event.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
