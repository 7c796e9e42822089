import type { ReactElement } from 'react';
import type { AppSnapshot, Settings } from '../../../electron/api/contract.js';
import { Checkbox, RadioGroup } from '../components/RadioGroup.js';
import { SettingsSection } from '../components/SettingsSection.js';
import { useSettingsUpdate } from './use-settings-update.js';

const NOISE_SUPPRESSION = [
  { value: 'off', label: 'Off', hint: 'Your microphone as it is.' },
  { value: 'low', label: 'Low', hint: 'Takes the edge off steady noise; gentlest on your voice.' },
  { value: 'high', label: 'High', hint: 'Removes fans, hum and hiss, and mutes the pauses; other voices nearby still pass.' },
] as const satisfies ReadonlyArray<{ value: Settings['noiseSuppression']; label: string; hint: string }>;

/** What Parley does to the microphone before anyone hears it; each change applies at once, in a call too. */
export function VoiceProcessingSection({ snapshot }: { snapshot: AppSnapshot }): ReactElement {
  const update = useSettingsUpdate();
  const { settings } = snapshot;
  return (
    <SettingsSection title="Voice processing" error={update.error}>
      <Checkbox
        label="Echo cancellation"
        checked={settings.echoCancellation}
        onChange={(echoCancellation) => void update.run({ echoCancellation })}
        hint="Keeps others from hearing themselves when your speakers reach your microphone."
      />
      <RadioGroup
        legend="Noise suppression"
        options={NOISE_SUPPRESSION}
        value={settings.noiseSuppression}
        onChange={(noiseSuppression) => void update.run({ noiseSuppression })}
        className="radio-row"
      />
      <Checkbox
        label="Automatic gain"
        checked={settings.autoGain}
        onChange={(autoGain) => void update.run({ autoGain })}
        hint="Keeps your voice at a steady level, quiet microphone or loud; input gain still applies first."
      />
    </SettingsSection>
  );
}
