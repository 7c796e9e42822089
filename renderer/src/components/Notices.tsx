import type { ReactElement } from 'react';
import type { Notice } from '../../../electron/api/contract.js';
import { Icon } from './Icon.js';

const KIND_LABEL: Record<Notice['kind'], string> = { info: 'Note', warning: 'Warning', error: 'Error' };

export interface NoticesProps {
  notices: readonly Notice[];
  onDismiss: (notice: Notice) => void;
}

/**
 * Messages from the app. The region stays mounted so that screen readers
 * read notices as they arrive (a live region that appears with its text is
 * often missed); errors are alerts, which interrupt.
 */
export function Notices({ notices, onDismiss }: NoticesProps): ReactElement {
  return (
    <section className="notices" aria-label="Notices" aria-live="polite">
      {notices.length > 0 && (
        <ul className="notice-list">
          {notices.map((notice) => (
            <li key={notice.id} className={`notice notice-${notice.kind}`}>
              <Icon name={notice.kind} className="notice-icon" />
              <p className="notice-text" role={notice.kind === 'error' ? 'alert' : undefined}>
                <span className="visually-hidden">{KIND_LABEL[notice.kind]}: </span>
                {notice.text}
              </p>
              <button type="button" className="button icon-button" aria-label={`Dismiss: ${notice.text}`} title="Dismiss" onClick={() => onDismiss(notice)}>
                <Icon name="close" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
