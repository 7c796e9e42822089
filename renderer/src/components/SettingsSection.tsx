import { useId, type ReactElement, type ReactNode } from 'react';
import type { UserError } from '../../../electron/api/contract.js';
import { ErrorMessage } from './Field.js';

/** A titled settings card with the error of its last change, if any. */
export function SettingsSection({ title, error, children }: { title: string; error?: UserError | null; children: ReactNode }): ReactElement {
  const id = useId();
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
      {error && <ErrorMessage>{error.message}</ErrorMessage>}
    </section>
  );
}
