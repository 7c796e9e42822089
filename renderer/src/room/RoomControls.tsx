import { useState, type ReactElement } from 'react';
import type { AppSnapshot, RoomView } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { Icon } from '../components/Icon.js';
import { ToggleButton } from '../components/ToggleButton.js';
import { displayKeyName } from '../input/key-names.js';

/** One line on how this person is heard right now. */
export function activationHint(snapshot: AppSnapshot, room: RoomView): string {
  const { settings, pushToTalk } = snapshot;
  if (room.self.muted) return 'You are muted: nobody hears you.';
  switch (settings.activation) {
    case 'voice':
      return settings.vadThresholdDb === null ? 'Voice activation (automatic threshold).' : 'Voice activation.';
    case 'continuous':
      return 'Open microphone: always sending.';
    case 'pushToTalk': {
      if (settings.pushToTalkKey === null) return 'Push-to-talk has no key yet: choose one in Settings.';
      const key = displayKeyName(settings.pushToTalkKey, snapshot.platform);
      if (pushToTalk.pressed) return `Talking (${key} held).`;
      return pushToTalk.scope === 'focused' ? `Hold ${key} to talk (while Parley's window is focused).` : `Hold ${key} to talk.`;
    }
  }
}

export function RoomControls({ snapshot, room }: { snapshot: AppSnapshot; room: RoomView }): ReactElement {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const hosting = room.hosting !== null;
  const leaveLabel = hosting ? 'Stop hosting' : 'Leave';
  // Stopping a hosted room disconnects everyone in it: ask first when someone is there.
  const needsConfirm = hosting && room.peers.length > 0;
  return (
    <div className="room-controls" role="group" aria-label="Your audio">
      <ToggleButton label="Mute" pressed={room.self.muted} onToggle={(muted) => void api.setMuted(muted)} icon="mic" pressedIcon="micOff" className="control-button" />
      <ToggleButton
        label="Deafen"
        pressed={room.self.deafened}
        onToggle={(deafened) => void api.setDeafened(deafened)}
        icon="headphones"
        pressedIcon="headphonesOff"
        className="control-button"
      />
      <p className={`activation-hint${snapshot.pushToTalk.pressed ? ' ptt-pressed' : ''}`}>{activationHint(snapshot, room)}</p>
      {confirming ? (
        <div className="confirm" role="group" aria-label="Stop hosting?">
          <span>Everyone will be disconnected.</span>
          <button type="button" className="button danger" autoFocus onClick={() => void api.leave()}>
            Stop hosting now
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep hosting
          </button>
        </div>
      ) : (
        <button type="button" className="button danger" onClick={() => (needsConfirm ? setConfirming(true) : void api.leave())}>
          <Icon name="leave" />
          <span>{leaveLabel}</span>
        </button>
      )}
    </div>
  );
}
