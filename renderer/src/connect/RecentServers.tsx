import type { ReactElement } from 'react';
import type { Settings } from '../../../electron/api/contract.js';
import { formatAgo } from '../format.js';

type RecentServer = Settings['recentServers'][number];

export interface RecentServersProps {
  servers: readonly RecentServer[];
  now: number;
  disabled: boolean;
  onFill: (server: RecentServer) => void;
  onJoin: (server: RecentServer) => void;
}

export function RecentServers({ servers, now, disabled, onFill, onJoin }: RecentServersProps): ReactElement {
  return (
    <section className="card recent" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recent rooms</h2>
      {servers.length === 0 ? (
        <p className="hint">Rooms you join appear here.</p>
      ) : (
        <ul className="recent-list">
          {servers.map((server) => {
            const what = `${server.room} at ${server.address}`;
            return (
              <li key={`${server.address}/${server.room}`} className="recent-item">
                <button type="button" className="recent-fill" disabled={disabled} onClick={() => onFill(server)} aria-label={`Fill in the join form with ${what}`}>
                  <span className="recent-room">{server.room}</span>
                  <span className="recent-address">{server.address}</span>
                  <span className="recent-when">{formatAgo(server.lastUsed, now)}</span>
                </button>
                <button type="button" className="button" disabled={disabled} onClick={() => onJoin(server)} aria-label={`Join ${what}`}>
                  Join
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
