import type { ReactElement } from 'react';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { Icon } from '../components/Icon.js';
import { useFocusOnMount } from '../components/use-focus-on-mount.js';
import { ActivationSection } from './ActivationSection.js';
import { BehaviourSection } from './BehaviourSection.js';
import { DeviceSection } from './DeviceSection.js';
import { MicrophoneSection } from './MicrophoneSection.js';
import { QualitySection } from './QualitySection.js';
import { VoiceProcessingSection } from './VoiceProcessingSection.js';

export function SettingsScreen({ snapshot, onClose }: { snapshot: AppSnapshot; onClose: () => void }): ReactElement {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="screen settings-screen" aria-labelledby="settings-heading">
      <div className="screen-head">
        <button type="button" className="button" onClick={onClose}>
          <Icon name="back" />
          <span>Back</span>
        </button>
        <h1 id="settings-heading" className="screen-title" tabIndex={-1} ref={headingRef}>
          Settings
        </h1>
      </div>
      <DeviceSection snapshot={snapshot} />
      {/* Activation just above the mic test: the threshold slider moves the line on the test's meter. */}
      <ActivationSection snapshot={snapshot} />
      <MicrophoneSection snapshot={snapshot} />
      <VoiceProcessingSection snapshot={snapshot} />
      <QualitySection snapshot={snapshot} />
      <BehaviourSection snapshot={snapshot} />
    </main>
  );
}
