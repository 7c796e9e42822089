import type { ReactElement } from 'react';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { Checkbox } from '../components/RadioGroup.js';
import { SettingsSection } from '../components/SettingsSection.js';
import { useSettingsUpdate } from './use-settings-update.js';

export function BehaviourSection({ snapshot }: { snapshot: AppSnapshot }): ReactElement {
  const update = useSettingsUpdate();
  const { settings } = snapshot;
  return (
    <SettingsSection title="Behaviour" error={update.error}>
      <Checkbox label="Play a sound when someone joins or leaves" checked={settings.cueSounds} onChange={(cueSounds) => void update.run({ cueSounds })} />
      <Checkbox
        label="Notify me of chat messages while Parley is in the background"
        checked={settings.chatNotifications}
        onChange={(chatNotifications) => void update.run({ chatNotifications })}
      />
      <Checkbox
        label="Keep running in the tray when the window is closed"
        checked={settings.closeToTray}
        onChange={(closeToTray) => void update.run({ closeToTray })}
        hint="You stay in the room; quit from the tray icon."
      />
      <Checkbox
        label="Ask my router to open the port"
        checked={settings.mapPort}
        onChange={(mapPort) => void update.run({ mapPort })}
        hint="When you host, so that friends outside your home network can join. Takes effect the next time you host."
      />
    </SettingsSection>
  );
}
