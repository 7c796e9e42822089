import type { ReactElement } from 'react';
import type { AppSnapshot, Settings } from '../../../electron/api/contract.js';
import { HelpButton } from '../components/HelpButton.js';
import { Checkbox, RadioGroup } from '../components/RadioGroup.js';
import { SettingsSection } from '../components/SettingsSection.js';
import { Slider } from '../components/Slider.js';
import { formatDb } from '../format.js';
import { KeyCapture } from './KeyCapture.js';
import { useSettingsUpdate } from './use-settings-update.js';

/** Where a hand-set threshold starts: quiet speech at a headset mic is around −40 dBFS. */
const MANUAL_THRESHOLD_START_DB = -50;

const MODES = [
  { value: 'voice', label: 'Voice activity', hint: 'Sends while you speak.' },
  { value: 'pushToTalk', label: 'Push-to-talk', hint: 'Sends while you hold a key.' },
  { value: 'continuous', label: 'Continuous', hint: 'Always sends (use with headphones).' },
] as const satisfies ReadonlyArray<{ value: Settings['activation']; label: string; hint: string }>;

export function ActivationSection({ snapshot }: { snapshot: AppSnapshot }): ReactElement {
  const update = useSettingsUpdate();
  const { settings, pushToTalk } = snapshot;
  return (
    <SettingsSection title="Activation" error={update.error}>
      <RadioGroup legend="When to send your voice" options={MODES} value={settings.activation} onChange={(activation) => void update.run({ activation })} />
      {settings.activation === 'voice' && (
        <div className="subsettings">
          <Checkbox
            label="Set the threshold automatically"
            checked={settings.vadThresholdDb === null}
            onChange={(automatic) => void update.run({ vadThresholdDb: automatic ? null : MANUAL_THRESHOLD_START_DB })}
            hint="Parley follows the background noise and opens for speech above it."
          />
          {settings.vadThresholdDb !== null && (
            <Slider
              label="Voice threshold"
              min={-90}
              max={0}
              step={1}
              value={settings.vadThresholdDb}
              format={formatDb}
              onChange={(vadThresholdDb) => void update.run({ vadThresholdDb })}
            />
          )}
        </div>
      )}
      {settings.activation === 'pushToTalk' && (
        <div className="subsettings">
          <KeyCapture value={settings.pushToTalkKey} platform={snapshot.platform} onChange={(patch) => void update.run(patch)} />
          <p className={`ptt-scope ptt-scope-${pushToTalk.scope}`}>
            {pushToTalk.scope === 'global'
              ? 'The key works while Parley is in the background.'
              : "The key works only while Parley's window is focused."}
            {pushToTalk.note && ` ${pushToTalk.note}`}
          </p>
          <HelpButton topic="pushToTalk" />
        </div>
      )}
    </SettingsSection>
  );
}
