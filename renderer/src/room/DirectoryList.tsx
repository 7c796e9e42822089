import { useId, useState, type FormEvent, type ReactElement } from 'react';
import type { DirectoryRoomView, UserError } from '../../../electron/api/contract.js';
import { ErrorMessage, TextField } from '../components/Field.js';
import { Icon } from '../components/Icon.js';

export interface DirectoryListProps {
  rooms: DirectoryRoomView[];
  /** What the button on a room does, as its text: "Join", "Move here". */
  actionLabel: string;
  /** The user picked a room (with the secret typed for a locked one); answers whether it worked. */
  onPick: (room: string, secret: string | undefined) => Promise<boolean>;
  /** A room being entered now: its button says so, and the others wait. */
  pendingRoom: string | null;
  error: UserError | null;
  disabled?: boolean;
}

/**
 * A relay's rooms as a tree, like Mumble's: each room with its lock and
 * count, its members beneath it, and a button to go there. A locked room
 * asks for its secret (or password) first, unless the relay hands it out.
 * Every name is text: nothing from the network is rendered as markup.
 */
export function DirectoryList({ rooms, actionLabel, onPick, pendingRoom, error, disabled = false }: DirectoryListProps): ReactElement {
  const [asking, setAsking] = useState<string | null>(null);
  if (rooms.length === 0) return <p className="hint">No rooms yet: the first to join a room opens it.</p>;
  return (
    <>
      <ul className="room-tree">
        {rooms.map((room) => (
          <DirectoryRoom
            key={room.name}
            room={room}
            actionLabel={actionLabel}
            asking={asking === room.name}
            onAsk={(open) => setAsking(open ? room.name : null)}
            onPick={async (secret) => {
              if (await onPick(room.name, secret)) setAsking(null);
            }}
            pending={pendingRoom === room.name}
            disabled={disabled || pendingRoom !== null}
          />
        ))}
      </ul>
      {error && <ErrorMessage>{error.message}</ErrorMessage>}
    </>
  );
}

interface DirectoryRoomProps {
  room: DirectoryRoomView;
  actionLabel: string;
  asking: boolean;
  onAsk: (open: boolean) => void;
  onPick: (secret: string | undefined) => Promise<void>;
  pending: boolean;
  disabled: boolean;
}

function DirectoryRoom({ room, actionLabel, asking, onAsk, onPick, pending, disabled }: DirectoryRoomProps): ReactElement {
  const headingId = useId();
  const [secret, setSecret] = useState('');
  const needsSecret = room.locked && !room.opensWithoutSecret;
  const unlisted = room.memberCount - room.members.length;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (secret !== '') void onPick(secret);
  };
  return (
    <li className={`tree-room${room.current ? ' tree-room-current' : ''}`} aria-labelledby={headingId}>
      <div className="tree-room-row">
        {room.locked && (
          <span className="tree-lock" title={needsSecret ? 'Locked: needs its secret or password' : 'Encrypted; the relay lets you in'}>
            <Icon name="lock" />
          </span>
        )}
        <span className="tree-room-name" id={headingId}>
          {room.name}
        </span>
        <span className="count">
          ({room.memberCount}
          <span className="visually-hidden">{room.memberCount === 1 ? ' member' : ' members'}</span>)
        </span>
        {room.locked && <span className="visually-hidden">{needsSecret ? ', locked' : ', encrypted'}</span>}
        {room.current ? (
          <span className="tree-here">You are here</span>
        ) : (
          <button
            type="button"
            className="button small"
            aria-label={`${actionLabel}: ${room.name}`}
            aria-expanded={needsSecret ? asking : undefined}
            disabled={disabled}
            onClick={() => (needsSecret ? onAsk(!asking) : void onPick(undefined))}
          >
            {pending ? 'Going…' : actionLabel}
          </button>
        )}
      </div>
      {asking && !room.current && (
        <form className="tree-secret" onSubmit={submit} aria-label={`Secret for ${room.name}`}>
          <TextField label={`Secret or password for ${room.name}`} type="password" value={secret} onValueChange={setSecret} autoComplete="off" autoFocus />
          <button type="submit" className="button primary small" disabled={disabled || secret === ''}>
            {pending ? 'Going…' : actionLabel}
          </button>
        </form>
      )}
      {(room.members.length > 0 || unlisted > 0) && (
        <ul className="tree-members">
          {room.members.map((member, index) => (
            <li key={`${index}:${member.name}`} className="tree-member">
              <span className="tree-member-name">{member.name}</span>
              {member.muted && <span className="visually-hidden">, muted</span>}
              {member.deafened && <span className="visually-hidden">, deafened</span>}
              {member.muted && (
                <span className="state-icon" title="Muted">
                  <Icon name="micOff" />
                </span>
              )}
              {member.deafened && (
                <span className="state-icon" title="Deafened">
                  <Icon name="headphonesOff" />
                </span>
              )}
            </li>
          ))}
          {unlisted > 0 && <li className="tree-member hint">and {unlisted} more</li>}
        </ul>
      )}
    </li>
  );
}
