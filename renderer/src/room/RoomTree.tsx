import type { ReactElement } from 'react';
import type { DirectoryRoomView } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { useAction } from '../app/use-action.js';
import { DirectoryList } from './DirectoryList.js';

/** The relay's other rooms and who is in them, with a way to move to one without leaving the call. */
export function RoomTree({ rooms, movingTo }: { rooms: DirectoryRoomView[]; movingTo: string | null }): ReactElement {
  const api = useApi();
  const move = useAction(api.moveToRoom);
  return (
    <section className="rooms" aria-labelledby="rooms-heading">
      <h2 id="rooms-heading" className="section-title">
        Rooms on this relay <span className="count">({rooms.length})</span>
      </h2>
      <DirectoryList
        rooms={rooms}
        actionLabel="Move here"
        pendingRoom={movingTo}
        error={move.error}
        onPick={(room, secret) => move.run(secret === undefined ? { room } : { room, secret })}
      />
    </section>
  );
}
