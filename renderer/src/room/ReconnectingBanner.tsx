import { useEffect, useState, type ReactElement } from 'react';
import type { ConnectionView } from '../../../electron/api/contract.js';
import { RECONNECT_REASON } from '../format.js';

type Reconnecting = Extract<ConnectionView, { state: 'reconnecting' }>;

/**
 * Seconds left until the next try. The snapshot says how long it was when it
 * was sent; snapshots may be sparse while the link is down, so the banner
 * counts down on its own between them.
 */
function useCountdown(retryInMs: number, revision: number): number {
  const [left, setLeft] = useState(retryInMs);
  useEffect(() => {
    const start = performance.now();
    setLeft(retryInMs);
    const timer = setInterval(() => setLeft(Math.max(0, retryInMs - (performance.now() - start))), 250);
    return () => clearInterval(timer);
  }, [retryInMs, revision]);
  return Math.ceil(left / 1000);
}

export function ReconnectingBanner({ connection, revision }: { connection: Reconnecting; revision: number }): ReactElement {
  const seconds = useCountdown(connection.retryInMs, revision);
  return (
    <div className="banner banner-warning">
      <span className="spinner" aria-hidden="true" />
      <div>
        <p className="banner-title">
          {RECONNECT_REASON[connection.reason]} Reconnecting (attempt {connection.attempt})
        </p>
        <p>{seconds > 0 ? `Next try in ${seconds} s.` : 'Trying now…'}</p>
        {connection.lastError && <p className="banner-detail">Last error: {connection.lastError}</p>}
      </div>
    </div>
  );
}
