import type { ReactElement } from 'react';

/**
 * A polite live region: screen readers read what is put here (joins,
 * leaves, connection changes) without moving focus. It stays mounted, since a
 * live region that appears together with its text is often not read.
 */
export function Announcer({ message }: { message: string }): ReactElement {
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {message}
    </div>
  );
}
