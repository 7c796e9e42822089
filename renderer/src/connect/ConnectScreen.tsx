import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { useAction } from '../app/use-action.js';
import { TextField } from '../components/Field.js';
import { useFocusOnMount } from '../components/use-focus-on-mount.js';
import { ConnectionStatus } from './ConnectionStatus.js';
import { HostForm } from './HostForm.js';
import { JoinForm, joinRequest, type JoinFields } from './JoinForm.js';
import { MAX_LENGTH, tooLong } from './name-length.js';
import { RecentServers } from './RecentServers.js';
import { RoomPicker } from './RoomPicker.js';

const PASSWORD_CODES = new Set(['wrongPassword', 'passwordRequired', 'tooManyAttempts']);

export interface ConnectScreenProps {
  snapshot: AppSnapshot;
  /** For "2 hours ago" in the recent list; the preview and tests pin it. */
  now: number;
}

export function ConnectScreen({ snapshot, now }: ConnectScreenProps): ReactElement {
  const api = useApi();
  const join = useAction(api.join);
  const [joiningRoom, setJoiningRoom] = useState<string | null>(null);
  const [name, setName] = useState(snapshot.settings.displayName);
  const [nameError, setNameError] = useState<string | null>(null);
  const [fields, setFields] = useState<JoinFields>({ target: '', room: '', password: '' });
  const nameRef = useRef<HTMLInputElement>(null);
  const targetRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { connection } = snapshot;
  const busy = connection.state === 'connecting';

  const requireName = (): string | null => {
    if (name.trim() === '') {
      setNameError('Enter the name others will see.');
      nameRef.current?.focus();
      return null;
    }
    const longBy = tooLong('name', name);
    if (longBy !== null) {
      setNameError(longBy);
      nameRef.current?.focus();
      return null;
    }
    setNameError(null);
    return name;
  };

  // An invite opened from outside (a clicked parley:// link) lands in the Join box, ready to go.
  const { pendingInvite } = snapshot;
  useEffect(() => {
    if (pendingInvite === null) return;
    setFields((current) => ({ ...current, target: pendingInvite }));
    targetRef.current?.focus();
  }, [pendingInvite]);

  // A password problem is fixed in the password field: take the user there. The failed state can
  // arrive before the join's answer, while the form is still disabled (and cannot take focus), so
  // this runs again once the join is no longer pending.
  const failedCode = connection.state === 'failed' ? connection.error.code : null;
  const joinPending = join.pending;
  useEffect(() => {
    if (!joinPending && failedCode !== null && PASSWORD_CODES.has(failedCode)) passwordRef.current?.focus();
  }, [failedCode, snapshot.revision, joinPending]);

  return (
    <main className="screen connect-screen" aria-labelledby="connect-heading">
      <h1 id="connect-heading" className="screen-title" tabIndex={-1} ref={headingRef}>
        Talk with friends
      </h1>
      <ConnectionStatus connection={connection} />
      <div className="card name-card">
        <TextField
          label="Your name"
          value={name}
          onValueChange={setName}
          maxLength={MAX_LENGTH.name}
          autoComplete="nickname"
          error={nameError}
          hint="Shown to everyone in the room."
          inputRef={nameRef}
          disabled={busy}
        />
      </div>
      <div className="connect-grid">
        <JoinForm
          fields={fields}
          onFieldsChange={setFields}
          join={join}
          disabled={busy}
          requireName={requireName}
          targetRef={targetRef}
          passwordRef={passwordRef}
          onShowRooms={(shown) => {
            const checkedName = requireName();
            if (checkedName === null) return;
            void api.browseRooms({ target: shown.target.trim(), name: checkedName, ...(shown.password !== '' ? { password: shown.password } : {}) });
          }}
        />
        <HostForm defaultRoom={snapshot.settings.hostRoom} defaultPort={snapshot.settings.hostPort} disabled={busy} requireName={requireName} />
      </div>
      {snapshot.browse && (
        <RoomPicker
          browse={snapshot.browse}
          joining={joiningRoom}
          joinError={join.error}
          onClose={() => void api.stopBrowsing()}
          onJoin={async (room, secret) => {
            const checkedName = requireName();
            if (checkedName === null) return false;
            setJoiningRoom(room);
            const request = joinRequest(checkedName, { ...fields, room });
            const ok = await join.run(secret === undefined ? request : { ...request, secret });
            setJoiningRoom(null);
            return ok;
          }}
        />
      )}
      <RecentServers
        servers={snapshot.settings.recentServers}
        now={now}
        disabled={busy || join.pending}
        onFill={(server) => {
          setFields({ target: server.address, room: server.room, password: '' });
          targetRef.current?.focus();
        }}
        onJoin={(server) => {
          const filled = { target: server.address, room: server.room, password: '' };
          setFields(filled);
          const checkedName = requireName();
          if (checkedName !== null) void join.run(joinRequest(checkedName, filled));
        }}
      />
    </main>
  );
}
