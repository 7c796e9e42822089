import { useState, type FormEvent, type ReactElement, type Ref } from 'react';
import type { JoinRequest } from '../../../electron/api/contract.js';
import { ErrorMessage, TextField } from '../components/Field.js';
import type { ActionState } from '../app/use-action.js';
import { MAX_LENGTH, tooLong } from './name-length.js';

export interface JoinFields {
  target: string;
  room: string;
  password: string;
}

export interface JoinFormProps {
  fields: JoinFields;
  onFieldsChange: (fields: JoinFields) => void;
  join: ActionState<[JoinRequest]>;
  disabled: boolean;
  requireName: () => string | null;
  targetRef?: Ref<HTMLInputElement>;
  passwordRef?: Ref<HTMLInputElement>;
  /** Lists the relay's rooms to pick from (a plain address only: an invite names its room). */
  onShowRooms: (fields: JoinFields) => void;
}

/** Invite links carry their own room; only a plain address needs one typed. */
export function isInviteLink(target: string): boolean {
  return target.trim().toLowerCase().startsWith('parley:');
}

export function joinRequest(name: string, fields: JoinFields): JoinRequest {
  const request: JoinRequest = { target: fields.target.trim(), name };
  if (!isInviteLink(fields.target) && fields.room !== '') request.room = fields.room;
  if (fields.password !== '') request.password = fields.password;
  return request;
}

export function JoinForm({ fields, onFieldsChange, join, disabled, requireName, targetRef, passwordRef, onShowRooms }: JoinFormProps): ReactElement {
  const [targetError, setTargetError] = useState<string | null>(null);
  const [roomError, setRoomError] = useState<string | null>(null);
  const set = (patch: Partial<JoinFields>): void => onFieldsChange({ ...fields, ...patch });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const missingTarget = fields.target.trim() === '';
    setTargetError(missingTarget ? 'Enter an address or paste an invite link.' : null);
    const longRoom = isInviteLink(fields.target) ? null : tooLong('room', fields.room);
    setRoomError(longRoom);
    const name = requireName();
    if (name === null || missingTarget || longRoom !== null) return;
    void join.run(joinRequest(name, fields));
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="join-heading" noValidate>
      <h2 id="join-heading">Join a room</h2>
      <p className="card-intro">Paste an invite link, or type the address of a relay.</p>
      <fieldset disabled={disabled || join.pending}>
        <TextField
          label="Address or invite link"
          value={fields.target}
          onValueChange={(target) => set({ target })}
          placeholder="203.0.113.5:47000 or parley://…"
          autoComplete="off"
          spellCheck={false}
          error={targetError}
          inputRef={targetRef}
        />
        {!isInviteLink(fields.target) && (
          <TextField
            label="Room"
            value={fields.room}
            onValueChange={(room) => set({ room })}
            placeholder="Lobby"
            maxLength={MAX_LENGTH.room}
            autoComplete="off"
            error={roomError}
            hint="Leave empty for the Lobby."
          />
        )}
        <TextField
          label="Password (if the relay has one)"
          type="password"
          value={fields.password}
          onValueChange={(password) => set({ password })}
          autoComplete="off"
          inputRef={passwordRef}
        />
        {join.error && <ErrorMessage>{join.error.message}</ErrorMessage>}
        <div className="button-row">
          <button type="submit" className="button primary">
            {join.pending ? 'Joining…' : 'Join room'}
          </button>
          {!isInviteLink(fields.target) && (
            <button
              type="button"
              className="button"
              onClick={() => {
                const missingTarget = fields.target.trim() === '';
                setTargetError(missingTarget ? 'Enter the relay’s address to see its rooms.' : null);
                if (!missingTarget) onShowRooms(fields);
              }}
            >
              Show rooms
            </button>
          )}
        </div>
      </fieldset>
    </form>
  );
}
