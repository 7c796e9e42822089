import type { ReactElement } from 'react';
import type { AppSnapshot, RoomView } from '../../../electron/api/contract.js';
import { useFocusOnMount } from '../components/use-focus-on-mount.js';
import { ConnectionStatus } from '../connect/ConnectionStatus.js';
import { ChatPanel } from './ChatPanel.js';
import { EncryptionBadge } from './EncryptionBadge.js';
import { HostingPanel } from './HostingPanel.js';
import { MemberList } from './MemberList.js';
import { ReconnectingBanner } from './ReconnectingBanner.js';
import { RoomControls } from './RoomControls.js';
import { RoomTree } from './RoomTree.js';

export function RoomScreen({ snapshot, room }: { snapshot: AppSnapshot; room: RoomView }): ReactElement {
  const { connection } = snapshot;
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="screen room-screen" aria-labelledby="room-heading">
      <header className="room-header">
        <div className="room-title">
          <h1 id="room-heading" className="screen-title" tabIndex={-1} ref={headingRef}>
            {room.name}
          </h1>
          <p className="room-address">{room.address}</p>
        </div>
        <EncryptionBadge encrypted={room.encrypted} />
      </header>
      {connection.state === 'reconnecting' && <ReconnectingBanner connection={connection} revision={snapshot.revision} />}
      {connection.state === 'failed' && <ConnectionStatus connection={connection} />}
      <div className="room-body">
        <div className="room-side">
          <MemberList room={room} settings={snapshot.settings} />
          {room.directory && <RoomTree rooms={room.directory} movingTo={room.movingTo} />}
        </div>
        <ChatPanel chat={room.chat} encrypted={room.encrypted} />
        {room.hosting && <HostingPanel hosting={room.hosting} />}
      </div>
      <RoomControls snapshot={snapshot} room={room} />
    </main>
  );
}
