import type { ReactElement } from 'react';
import type { ConnectionView, HelpTopic } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { HelpButton } from '../components/HelpButton.js';
import { Icon } from '../components/Icon.js';

/** Failures a help page can do more for than one sentence. */
const HELP_FOR_CODE: Record<string, HelpTopic> = {
  unreachable: 'troubleshooting',
  relayNotAuthentic: 'troubleshooting',
  busy: 'troubleshooting',
  deviceMissing: 'troubleshooting',
  addressInUse: 'hosting',
  portInUse: 'hosting',
};

const TITLE_FOR_CODE: Record<string, string> = {
  unreachable: 'Relay unreachable',
  wrongPassword: 'Wrong password',
  passwordRequired: 'Password needed',
  tooManyAttempts: 'Too many wrong passwords',
  roomFull: 'Room full',
  relayFull: 'Relay full',
  connectionLost: 'Connection lost',
  deviceMissing: 'Audio device missing',
};

/** "Connecting…" with a way out, or why the last attempt failed. */
export function ConnectionStatus({ connection }: { connection: ConnectionView }): ReactElement | null {
  const api = useApi();
  if (connection.state === 'connecting') {
    return (
      <div className="status-panel">
        <span className="spinner" aria-hidden="true" />
        <p>
          Connecting to <strong>{connection.target}</strong>…
        </p>
        <button type="button" className="button" onClick={() => void api.leave()}>
          Cancel
        </button>
      </div>
    );
  }
  if (connection.state === 'failed') {
    const help = HELP_FOR_CODE[connection.error.code];
    return (
      <div className="status-panel status-failed" role="alert">
        <Icon name="error" className="status-icon" />
        <div>
          <p className="status-title">{TITLE_FOR_CODE[connection.error.code] ?? 'Could not connect'}</p>
          <p>{connection.error.message}</p>
        </div>
        {help && <HelpButton topic={help} />}
      </div>
    );
  }
  return null;
}
