import { useId, useState, type ReactElement } from 'react';
import { Icon } from '../components/Icon.js';

export const ENCRYPTED_TEXT =
  'Voice in this room is end-to-end encrypted with the secret from its invite link. The relay passes it on but cannot listen, and nobody without the invite can join.';
export const NOT_ENCRYPTED_TEXT =
  'This room has no secret, so voice is not end-to-end encrypted: whoever runs the relay, or can watch the network, could listen. Join with an invite link to be encrypted.';

/** "Encrypted" or "Not encrypted"; click (or hover) for what that means. */
export function EncryptionBadge({ encrypted }: { encrypted: boolean }): ReactElement {
  const [open, setOpen] = useState(false);
  const descriptionId = useId();
  const text = encrypted ? ENCRYPTED_TEXT : NOT_ENCRYPTED_TEXT;
  return (
    <div className="encryption">
      <button
        type="button"
        className={`badge ${encrypted ? 'badge-encrypted' : 'badge-plain'}`}
        aria-expanded={open}
        aria-controls={descriptionId}
        aria-describedby={descriptionId}
        title={text}
        onClick={() => setOpen(!open)}
      >
        <Icon name={encrypted ? 'lock' : 'unlock'} />
        <span>{encrypted ? 'Encrypted' : 'Not encrypted'}</span>
      </button>
      <p className="encryption-text" id={descriptionId} hidden={!open}>
        {text}
      </p>
    </div>
  );
}
