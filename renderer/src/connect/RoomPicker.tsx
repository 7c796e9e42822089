import type { ReactElement } from 'react';
import type { BrowseView, UserError } from '../../../electron/api/contract.js';
import { ErrorMessage } from '../components/Field.js';
import { Icon } from '../components/Icon.js';
import { DirectoryList } from '../room/DirectoryList.js';

export interface RoomPickerProps {
  browse: BrowseView;
  onJoin: (room: string, secret: string | undefined) => Promise<boolean>;
  onClose: () => void;
  joining: string | null;
  joinError: UserError | null;
}

/** A relay's rooms, listed after its address was entered: pick one to join it. */
export function RoomPicker({ browse, onJoin, onClose, joining, joinError }: RoomPickerProps): ReactElement {
  return (
    <section className="card room-picker" aria-labelledby="picker-heading" aria-busy={browse.state === 'loading'}>
      <div className="button-row">
        <h2 id="picker-heading">Rooms on {browse.target}</h2>
        <button type="button" className="icon-button" aria-label="Close the list of rooms" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      {browse.state === 'loading' && <p className="hint">Asking the relay for its rooms…</p>}
      {browse.state === 'failed' && browse.error && <ErrorMessage>{browse.error.message}</ErrorMessage>}
      {browse.state === 'listed' && <DirectoryList rooms={browse.rooms} actionLabel="Join" pendingRoom={joining} error={joinError} onPick={onJoin} />}
    </section>
  );
}
