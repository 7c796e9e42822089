import type { ReactElement } from 'react';
import { Icon } from '../components/Icon.js';
import { useDisclosure } from '../components/use-disclosure.js';

export const ENCRYPTED_TEXT =
  'Voice in this room is end-to-end encrypted with the secret from its invite link. The relay passes it on but cannot listen, and nobody without the invite can join.';
export const NOT_ENCRYPTED_TEXT =
  'This room has no secret, so voice is not end-to-end encrypted: whoever runs the relay, or can watch the network, could listen. Join with an invite link to be encrypted.';

/** "Encrypted" or "Not encrypted"; click (or hover) for what that means. */
export function EncryptionBadge({ encrypted }: { encrypted: boolean }): ReactElement {
  const about = useDisclosure();
  const text = encrypted ? ENCRYPTED_TEXT : NOT_ENCRYPTED_TEXT;
  return (
    <div className="encryption" onKeyDown={about.onKeyDown}>
      <button
        type="button"
        className={`badge ${encrypted ? 'badge-encrypted' : 'badge-plain'}`}
        {...about.buttonProps}
        aria-describedby={about.panelProps.id}
        title={text}
      >
        <Icon name={encrypted ? 'lock' : 'unlock'} />
        <span>{encrypted ? 'Encrypted' : 'Not encrypted'}</span>
      </button>
      <p className="encryption-text" {...about.panelProps}>
        {text}
      </p>
    </div>
  );
}
