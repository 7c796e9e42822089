import { useState, type ReactElement } from 'react';
import type { HostingView } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { useAction } from '../app/use-action.js';
import { ErrorMessage } from '../components/Field.js';
import { HelpButton } from '../components/HelpButton.js';
import { Icon } from '../components/Icon.js';

/** What friends need to reach the room this computer hosts. */
export function HostingPanel({ hosting }: { hosting: HostingView }): ReactElement {
  const api = useApi();
  const copy = useAction(api.copyInvite);
  const [copied, setCopied] = useState(false);
  return (
    <section className="card hosting" aria-labelledby="hosting-heading">
      <h2 id="hosting-heading" className="section-title">
        You are hosting on port {hosting.port}
      </h2>
      <p className="reachability" data-verdict={hosting.reachability.verdict}>
        {hosting.reachability.message}
      </p>
      <p className="hint">
        Send friends the invite link. {hosting.passwordSet ? 'They will also need the password you set.' : 'Anyone with the link can join.'}
      </p>
      <div className="invite-row">
        <label htmlFor="invite-link" className="visually-hidden">
          Invite link
        </label>
        <input id="invite-link" className="invite-link" readOnly value={hosting.invite} onFocus={(event) => event.target.select()} spellCheck={false} />
        <button
          type="button"
          className="button primary"
          disabled={copy.pending}
          onClick={() => {
            setCopied(false);
            void copy.run().then((ok) => setCopied(ok));
          }}
        >
          <Icon name="copy" />
          <span>Copy invite</span>
        </button>
      </div>
      <p className="copy-status" role="status">
        {copied ? 'Invite link copied.' : ''}
      </p>
      {copy.error && <ErrorMessage>{copy.error.message}</ErrorMessage>}
      <h3 className="subsection-title">Addresses friends can use</h3>
      {hosting.addresses.length === 0 ? (
        <p className="hint">No network address found: check that this computer is online.</p>
      ) : (
        <ul className="address-list">
          {hosting.addresses.map((address) => (
            <li key={address}>
              <code>{address}</code>
            </li>
          ))}
        </ul>
      )}
      <HelpButton topic="hosting" />
    </section>
  );
}
