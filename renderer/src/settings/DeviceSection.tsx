import { useId, type ReactElement } from 'react';
import type { AppSnapshot, DeviceInfo } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { HelpButton } from '../components/HelpButton.js';
import { Icon } from '../components/Icon.js';
import { SettingsSection } from '../components/SettingsSection.js';
import { useSettingsUpdate } from './use-settings-update.js';

/** The select's value for "System default" (settings store null). */
const SYSTEM_DEFAULT = '';

interface DevicePickerProps {
  label: string;
  devices: readonly DeviceInfo[];
  selected: string | null;
  onSelect: (name: string | null) => void;
}

function DevicePicker({ label, devices, selected, onSelect }: DevicePickerProps): ReactElement {
  const id = useId();
  // Settings keep names, and the same device can be listed once per host API.
  const names = [...new Set(devices.map((d) => d.name))];
  const missing = selected !== null && !names.includes(selected);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={selected ?? SYSTEM_DEFAULT}
        onChange={(event) => onSelect(event.target.value === SYSTEM_DEFAULT ? null : event.target.value)}
        aria-describedby={missing ? `${id}-missing` : undefined}
      >
        <option value={SYSTEM_DEFAULT}>System default</option>
        {missing && <option value={selected}>{selected} (not connected)</option>}
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      {missing && (
        <p className="field-error" id={`${id}-missing`}>
          This device is not connected. Parley uses the system default until it is back.
        </p>
      )}
    </div>
  );
}

export function DeviceSection({ snapshot }: { snapshot: AppSnapshot }): ReactElement {
  const api = useApi();
  const update = useSettingsUpdate();
  const { settings, devices } = snapshot;
  return (
    <SettingsSection title="Devices" error={update.error}>
      <DevicePicker label="Microphone" devices={devices.inputs} selected={settings.inputDevice} onSelect={(inputDevice) => void update.run({ inputDevice })} />
      <DevicePicker label="Speakers or headphones" devices={devices.outputs} selected={settings.outputDevice} onSelect={(outputDevice) => void update.run({ outputDevice })} />
      <div className="button-row">
        <button type="button" className="button" onClick={() => void api.refreshDevices()}>
          <Icon name="refresh" />
          <span>Look for devices again</span>
        </button>
        <HelpButton topic="troubleshooting" />
      </div>
    </SettingsSection>
  );
}
