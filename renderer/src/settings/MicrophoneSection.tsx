import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { useAction } from '../app/use-action.js';
import { ErrorMessage } from '../components/Field.js';
import { Checkbox } from '../components/RadioGroup.js';
import { LevelMeter } from '../components/LevelMeter.js';
import { SettingsSection } from '../components/SettingsSection.js';
import { Slider } from '../components/Slider.js';
import { formatDb } from '../format.js';
import { useSettingsUpdate } from './use-settings-update.js';

function gateText(snapshot: AppSnapshot, gateOpen: boolean): string {
  switch (snapshot.settings.activation) {
    case 'continuous':
      return 'Open microphone: this is what others hear.';
    case 'pushToTalk':
      return 'With push-to-talk, others hear this while you hold the key.';
    case 'voice':
      return gateOpen ? 'Voice detected: others would hear you now.' : 'Below the threshold: others would not hear this.';
  }
}

/** Mic test with a live meter (where the threshold lies, whether the gate opens), optional playback of the processed voice, and input gain. */
export function MicrophoneSection({ snapshot }: { snapshot: AppSnapshot }): ReactElement {
  const api = useApi();
  const start = useAction(api.startMicTest);
  const update = useSettingsUpdate();
  const { micTest, settings } = snapshot;
  const testing = micTest !== null;
  const [playback, setPlayback] = useState(false);

  // Leaving the settings screen ends a running test: the microphone is not left open unseen.
  const running = useRef(testing);
  useEffect(() => {
    running.current = testing;
  }, [testing]);
  useEffect(
    () => () => {
      if (running.current) void api.stopMicTest();
    },
    [api],
  );

  const threshold = settings.activation === 'voice' ? settings.vadThresholdDb : null;
  return (
    <SettingsSection title="Microphone" error={update.error}>
      <div className="mic-test">
        <button type="button" className="button" onClick={() => void (testing ? api.stopMicTest() : start.run({ playback }))} disabled={start.pending}>
          {testing ? 'Stop the test' : 'Test the microphone'}
        </button>
        <Checkbox
          label="Play me back what others would hear"
          checked={testing ? micTest.playback : playback}
          onChange={(wanted) => {
            setPlayback(wanted);
            // A running test starts again the new way.
            if (testing) void api.stopMicTest().then(() => start.run({ playback: wanted }));
          }}
          hint="Use headphones: through speakers, you hear yourself as others would, with echo cancellation at work."
        />
        {start.error && <ErrorMessage>{start.error.message}</ErrorMessage>}
        {micTest && (
          <div className="mic-test-live">
            <LevelMeter
              levelDb={micTest.levelDb}
              peakDb={micTest.peakDb}
              thresholdDb={threshold}
              active={micTest.gateOpen}
              label="Microphone test level"
              size="large"
            />
            <p className="meter-legend">
              <span>Level {formatDb(micTest.levelDb)}</span>
              <span>
                <span className="legend-mark legend-peak" aria-hidden="true" />
                Peak {formatDb(micTest.peakDb)}
              </span>
              {settings.activation === 'voice' && (
                <span>
                  {threshold !== null && <span className="legend-mark legend-threshold" aria-hidden="true" />}
                  Threshold {threshold === null ? 'automatic' : formatDb(threshold)}
                </span>
              )}
            </p>
            <p className={`gate ${micTest.gateOpen ? 'gate-open' : 'gate-closed'}`}>
              <span className="gate-dot" aria-hidden="true" />
              {gateText(snapshot, micTest.gateOpen)}
            </p>
          </div>
        )}
        {!testing && <p className="hint">Speak normally while the test runs: the bar shows what Parley hears, the line where voice activation starts.</p>}
      </div>
      <Slider label="Input gain" min={-20} max={20} step={1} value={settings.inputGainDb} format={formatDb} onChange={(inputGainDb) => void update.run({ inputGainDb })} />
    </SettingsSection>
  );
}
