import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { AppSnapshot, Notice, ParleyApi } from '../../../electron/api/contract.js';
import { Announcer } from '../components/Announcer.js';
import { Icon } from '../components/Icon.js';
import { Notices } from '../components/Notices.js';
import { ConnectScreen } from '../connect/ConnectScreen.js';
import { useFocusedPushToTalk } from '../input/use-push-to-talk.js';
import { RoomScreen } from '../room/RoomScreen.js';
import { SettingsScreen } from '../settings/SettingsScreen.js';
import { useAnnouncements } from './announcements.js';
import { ApiContext } from './api-context.js';
import { guardApi } from './guard-api.js';
import { useSnapshot } from './use-snapshot.js';

export interface AppProps {
  api: ParleyApi;
  /** Open on the settings screen (the design preview uses this). */
  initialView?: 'main' | 'settings';
  /** The clock for "2 hours ago"; the tests and the preview pin it. */
  now?: () => number;
  /** Put before the window title (the preview marks itself with it). */
  titlePrefix?: string;
}

/** Errors of the window's own (an IPC call that failed), shown like the app's notices. Negative ids keep them apart. */
function useLocalErrors(): { errors: Notice[]; report: (text: string) => void; dismiss: (id: number) => void } {
  const [errors, setErrors] = useState<Notice[]>([]);
  const lastId = useRef(0);
  const report = useCallback((text: string) => {
    lastId.current -= 1;
    const id = lastId.current;
    setErrors((list) => [...list, { id, kind: 'error', text }]);
  }, []);
  const dismiss = useCallback((id: number) => setErrors((list) => list.filter((n) => n.id !== id)), []);
  return { errors, report, dismiss };
}

export function App({ api, initialView = 'main', now = Date.now, titlePrefix = '' }: AppProps): ReactElement {
  const local = useLocalErrors();
  const guarded = useMemo(() => guardApi(api, local.report), [api, local.report]);
  const state = useSnapshot(guarded);
  const [view, setView] = useState(initialView);
  const settingsButton = useRef<HTMLButtonElement>(null);
  const leftSettings = useRef(false);
  useEffect(() => {
    // Back from settings: focus returns to the button that opened them.
    if (view === 'main' && leftSettings.current) settingsButton.current?.focus();
    leftSettings.current = view === 'settings';
  }, [view]);
  const snapshot = state.status === 'ready' ? state.snapshot : null;
  const announcement = useAnnouncements(snapshot);
  const roomName = snapshot?.room?.name ?? null;
  useEffect(() => {
    // The task bar and window switchers show where Parley is.
    document.title = titlePrefix + (roomName === null ? 'Parley' : `${roomName} – Parley`);
  }, [roomName, titlePrefix]);
  useFocusedPushToTalk(
    guarded,
    snapshot?.settings.pushToTalkKey ?? null,
    snapshot !== null && snapshot.room !== null && snapshot.settings.activation === 'pushToTalk' && snapshot.pushToTalk.scope === 'focused',
  );

  return (
    <ApiContext.Provider value={guarded}>
      <div className="app">
        <header className="app-header">
          <span className="wordmark">Parley</span>
          {snapshot && view === 'main' && (
            <button type="button" className="button" ref={settingsButton} onClick={() => setView('settings')}>
              <Icon name="settings" />
              <span>Settings</span>
            </button>
          )}
        </header>
        <Notices
          notices={[...local.errors, ...(snapshot?.notices ?? [])]}
          onDismiss={(notice) => (notice.id < 0 ? local.dismiss(notice.id) : void guarded.dismissNotice(notice.id))}
        />
        {state.status === 'loading' && <p className="loading">Starting Parley…</p>}
        {state.status === 'failed' && (
          <p className="error-message" role="alert">
            Parley's window could not reach the app: {state.message}
          </p>
        )}
        {snapshot && <Screen snapshot={snapshot} view={view} onCloseSettings={() => setView('main')} now={now} />}
        <Announcer message={announcement} />
      </div>
    </ApiContext.Provider>
  );
}

function Screen({ snapshot, view, onCloseSettings, now }: { snapshot: AppSnapshot; view: 'main' | 'settings'; onCloseSettings: () => void; now: () => number }): ReactElement {
  if (view === 'settings') return <SettingsScreen snapshot={snapshot} onClose={onCloseSettings} />;
  if (snapshot.room) return <RoomScreen snapshot={snapshot} room={snapshot.room} />;
  return <ConnectScreen snapshot={snapshot} now={now()} />;
}
