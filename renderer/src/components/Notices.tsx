import type { ReactElement } from 'react';
import type { Notice } from '../../../electron/api/contract.js';
import { Icon } from './Icon.js';

const KIND_LABEL: Record<Notice['kind'], string> = { info: 'Note', warning: 'Warning', error: 'Error' };

export interface NoticesProps {
  notices: readonly Notice[];
  onDismiss: (notice: Notice) => void;
}

/** Messages from the app; errors interrupt a screen reader, the rest wait their turn. */
export function Notices({ notices, onDismiss }: NoticesProps): ReactElement | null {
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <li key={notice.id} className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <Icon name={notice.kind} className="notice-icon" />
          <p className="notice-text">
            <span className="visually-hidden">{KIND_LABEL[notice.kind]}: </span>
            {notice.text}
          </p>
          <button type="button" className="button icon-button" aria-label={`Dismiss: ${notice.text}`} title="Dismiss" onClick={() => onDismiss(notice)}>
            <Icon name="close" />
          </button>
        </li>
      ))}
    </ul>
  );
}
