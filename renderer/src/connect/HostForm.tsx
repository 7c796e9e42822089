import { useState, type FormEvent, type ReactElement } from 'react';
import type { HostRequest } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { useAction } from '../app/use-action.js';
import { ErrorMessage, TextField } from '../components/Field.js';
import { HelpButton } from '../components/HelpButton.js';
import { MAX_LENGTH, tooLong } from './name-length.js';

export interface HostFormProps {
  defaultRoom: string;
  defaultPort: number;
  disabled: boolean;
  /** Checks the shared name field; returns the name, or null after showing why it is missing. */
  requireName: () => string | null;
}

function parsePort(text: string): number | null {
  const port = Number(text);
  return text.trim() !== '' && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : null;
}

export function HostForm({ defaultRoom, defaultPort, disabled, requireName }: HostFormProps): ReactElement {
  const api = useApi();
  const host = useAction(api.host);
  const [room, setRoom] = useState(defaultRoom);
  const [port, setPort] = useState(String(defaultPort));
  const [password, setPassword] = useState('');
  const [portError, setPortError] = useState<string | null>(null);
  const [roomError, setRoomError] = useState<string | null>(null);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const portNumber = parsePort(port);
    setPortError(portNumber === null ? 'Enter a port from 1 to 65535.' : null);
    const longRoom = tooLong('room', room);
    setRoomError(longRoom);
    const name = requireName();
    if (name === null || portNumber === null || longRoom !== null) return;
    const request: HostRequest = { name, room, port: portNumber };
    if (password !== '') request.password = password;
    void host.run(request);
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="host-heading" noValidate>
      <h2 id="host-heading">Host a room</h2>
      <p className="card-intro">Run the relay on this computer and invite friends.</p>
      <fieldset disabled={disabled || host.pending}>
        <TextField label="Room name" value={room} onValueChange={setRoom} maxLength={MAX_LENGTH.room} autoComplete="off" error={roomError} />
        <TextField
          label="Port"
          value={port}
          onValueChange={setPort}
          inputMode="numeric"
          autoComplete="off"
          error={portError}
          hint="The UDP port friends connect to. Forward it on your router to be reachable from the internet."
          className="field-narrow"
        />
        <TextField
          label="Password (optional)"
          type="password"
          value={password}
          onValueChange={setPassword}
          autoComplete="new-password"
          hint="Friends will need it to join."
        />
        {host.error && (
          <ErrorMessage>
            {host.error.message} <HelpButton topic="hosting" />
          </ErrorMessage>
        )}
        <button type="submit" className="button primary">
          {host.pending ? 'Starting…' : 'Host room'}
        </button>
      </fieldset>
    </form>
  );
}
