import type { ReactElement } from 'react';
import type { AppSnapshot, Settings } from '../../../electron/api/contract.js';
import { RadioGroup } from '../components/RadioGroup.js';
import { SettingsSection } from '../components/SettingsSection.js';
import { Slider } from '../components/Slider.js';
import { useSettingsUpdate } from './use-settings-update.js';

const FRAME_SIZES = [
  { value: 10, label: '10 ms', hint: 'Lowest delay; uses the most bandwidth.' },
  { value: 20, label: '20 ms', hint: 'The usual balance.' },
  { value: 40, label: '40 ms', hint: 'Least bandwidth, for slow or busy links.' },
] as const satisfies ReadonlyArray<{ value: Settings['frameMs']; label: string; hint: string }>;

export function QualitySection({ snapshot }: { snapshot: AppSnapshot }): ReactElement {
  const update = useSettingsUpdate();
  const { settings } = snapshot;
  return (
    <SettingsSection title="Audio quality" error={update.error}>
      <RadioGroup legend="Frame size" options={FRAME_SIZES} value={settings.frameMs} onChange={(frameMs) => void update.run({ frameMs })} className="radio-row" />
      <Slider
        label="Voice quality (bitrate)"
        min={16}
        max={64}
        step={1}
        value={settings.bitrateKbps}
        format={(kbps) => `${kbps} kbps`}
        onChange={(bitrateKbps) => void update.run({ bitrateKbps })}
      />
    </SettingsSection>
  );
}
