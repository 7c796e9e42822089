// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { fixtureSettings, idleSnapshot, missingDeviceSnapshot, settingsSnapshot } from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';

function section(title: string): HTMLElement {
  return screen.getByRole('region', { name: title });
}

const pttSnapshot: AppSnapshot = { ...idleSnapshot, settings: { ...fixtureSettings, activation: 'pushToTalk', pushToTalkKey: null } };

describe('settings screen', () => {
  it('is reachable from the connect screen and goes back, focus returning to the Settings button', async () => {
    const { user } = await renderApp(idleSnapshot);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Settings' }));
    expect(screen.queryByRole('button', { name: 'Settings' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Talk with friends');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Settings' }));
  });

  it('picks devices by name, with "System default" as null', async () => {
    const { user, fake } = await renderApp(settingsSnapshot, { view: 'settings' });
    const mic = screen.getByRole('combobox', { name: 'Microphone' }) as HTMLSelectElement;
    expect(mic.value).toBe('USB Headset: Audio (hw:2,0)');
    expect([...mic.options].map((o) => o.text)).toEqual([
      'System default',
      'default',
      'pulse',
      'USB Headset: Audio (hw:2,0)',
      'HD-Audio Generic: ALC257 Analog (hw:1,0)',
    ]);
    await user.selectOptions(mic, 'System default');
    const speakers = screen.getByRole('combobox', { name: 'Speakers or headphones' }) as HTMLSelectElement;
    expect(speakers.value).toBe('');
    await user.selectOptions(speakers, 'HDMI 0: HDMI (hw:0,3)');
    await user.click(screen.getByRole('button', { name: 'Look for devices again' }));
    expect(fake.actions()).toEqual([
      { method: 'updateSettings', args: [{ inputDevice: null }] },
      { method: 'updateSettings', args: [{ outputDevice: 'HDMI 0: HDMI (hw:0,3)' }] },
      { method: 'refreshDevices', args: [] },
    ]);
  });

  it('keeps a chosen device that is not connected, and says so', async () => {
    await renderApp(missingDeviceSnapshot, { view: 'settings' });
    const mic = screen.getByRole('combobox', { name: 'Microphone' }) as HTMLSelectElement;
    expect(mic.value).toBe('Blue Yeti: USB Audio (hw:3,0)');
    expect(mic.selectedOptions[0]!.text).toBe('Blue Yeti: USB Audio (hw:3,0) (not connected)');
    expect(document.getElementById(mic.getAttribute('aria-describedby')!)!.textContent).toBe(
      'This device is not connected. Parley uses the system default until it is back.',
    );
  });

  it('shows the error a settings change answers with, in its section', async () => {
    const { user, fake } = await renderApp(settingsSnapshot, { view: 'settings' });
    fake.respond('updateSettings', () => ({ ok: false, error: { code: 'deviceMissing', message: 'That device disappeared.' } }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Microphone' }), 'pulse');
    expect(within(section('Devices')).getByRole('alert').textContent).toBe('That device disappeared.');
    expect(within(section('Behaviour')).queryByRole('alert')).toBeNull();
  });

  it('runs the mic test with a live meter, the threshold and whether the gate is open', async () => {
    const { user, fake, push } = await renderApp(idleSnapshot, { view: 'settings' });
    const mic = section('Microphone');
    expect(within(mic).queryByRole('meter')).toBeNull();
    await user.click(within(mic).getByRole('button', { name: 'Test the microphone' }));
    expect(fake.actions()).toEqual([{ method: 'startMicTest', args: [{ playback: false }] }]);

    await push({ ...idleSnapshot, revision: 5, settings: { ...fixtureSettings, vadThresholdDb: -45 }, micTest: { levelDb: -52, peakDb: -40, gateOpen: false, playback: false } });
    const meter = within(mic).getByRole('meter', { name: 'Microphone test level' });
    expect(meter.getAttribute('aria-valuetext')).toBe('\u221252 dB');
    // −45 dB on a −70..0 dB meter.
    // (The style engine keeps six significant digits, as browsers do.)
    const thresholdAt = (meter.querySelector('.meter-threshold') as HTMLElement).style.insetInlineStart;
    expect(thresholdAt).toMatch(/%$/);
    expect(Number.parseFloat(thresholdAt)).toBeCloseTo((25 / 70) * 100, 4);
    expect(within(mic).getByText('Below the threshold: others would not hear this.')).toBeTruthy();
    expect(mic.querySelector('.meter-legend')!.textContent).toBe('Level \u221252 dBPeak \u221240 dBThreshold \u221245 dB');

    await push({ ...idleSnapshot, revision: 6, settings: { ...fixtureSettings, vadThresholdDb: -45 }, micTest: { levelDb: -30, peakDb: -28, gateOpen: true, playback: false } });
    expect(within(mic).getByText('Voice detected: others would hear you now.')).toBeTruthy();
    await user.click(within(mic).getByRole('button', { name: 'Stop the test' }));
    expect(fake.actions()).toEqual([
      { method: 'startMicTest', args: [{ playback: false }] },
      { method: 'stopMicTest', args: [] },
    ]);
  });

  it('plays back what others would hear when asked, and restarts a running test to switch', async () => {
    const { user, fake, push } = await renderApp(idleSnapshot, { view: 'settings' });
    const mic = within(section('Microphone'));
    const playback = mic.getByRole('checkbox', { name: 'Play me back what others would hear' }) as HTMLInputElement;
    expect(playback.checked).toBe(false);
    await user.click(playback);
    await user.click(mic.getByRole('button', { name: 'Test the microphone' }));
    await push({ ...idleSnapshot, revision: 5, micTest: { levelDb: -30, peakDb: -20, gateOpen: true, playback: true } });
    expect(playback.checked).toBe(true);
    await user.click(playback);
    expect(fake.actions()).toEqual([
      { method: 'startMicTest', args: [{ playback: true }] },
      { method: 'stopMicTest', args: [] },
      { method: 'startMicTest', args: [{ playback: false }] },
    ]);
  });

  it('shows why the mic test could not start', async () => {
    const { user, fake } = await renderApp(idleSnapshot, { view: 'settings' });
    fake.respond('startMicTest', () => ({ ok: false, error: { code: 'deviceMissing', message: 'No microphone was found.' } }));
    await user.click(screen.getByRole('button', { name: 'Test the microphone' }));
    expect(within(section('Microphone')).getByRole('alert').textContent).toBe('No microphone was found.');
  });

  it('stops a running mic test when the settings close', async () => {
    const { user, fake } = await renderApp(settingsSnapshot, { view: 'settings' });
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(fake.actions()).toEqual([{ method: 'stopMicTest', args: [] }]);
  });

  it('switches activation, and sets the voice threshold by hand or automatically', async () => {
    const { user, fake, push } = await renderApp(idleSnapshot, { view: 'settings' });
    const activation = section('Activation');
    expect((within(activation).getByRole('radio', { name: 'Voice activity' }) as HTMLInputElement).checked).toBe(true);
    const automatic = within(activation).getByRole('checkbox', { name: 'Set the threshold automatically' }) as HTMLInputElement;
    expect(automatic.checked).toBe(true);
    expect(within(activation).queryByRole('slider', { name: 'Voice threshold' })).toBeNull();
    await user.click(automatic);
    await push({ ...idleSnapshot, revision: 7, settings: { ...fixtureSettings, vadThresholdDb: -50 } });
    fireEvent.change(within(activation).getByRole('slider', { name: 'Voice threshold' }), { target: { value: '-38' } });
    await user.click(within(activation).getByRole('radio', { name: 'Push-to-talk' }));
    expect(fake.actions()).toEqual([
      { method: 'updateSettings', args: [{ vadThresholdDb: -50 }] },
      { method: 'updateSettings', args: [{ vadThresholdDb: -38 }] },
      { method: 'updateSettings', args: [{ activation: 'pushToTalk' }] },
    ]);
  });

  it('binds the push-to-talk key that is pressed', async () => {
    const { user, fake } = await renderApp(pttSnapshot, { view: 'settings' });
    const activation = section('Activation');
    expect(activation.querySelector('.key-current')!.textContent).toBe('Push-to-talk key: none');
    await user.click(within(activation).getByRole('button', { name: 'Choose a key' }));
    expect(within(activation).getByRole('button', { name: 'Press a key…' })).toBeTruthy();
    await user.keyboard('{Control>}{Shift>}{ }{/Shift}{/Control}');
    expect(fake.actions()).toEqual([{ method: 'updateSettings', args: [{ pushToTalkKey: 'Ctrl+Shift+Space' }] }]);
    expect(within(activation).queryByRole('button', { name: 'Press a key…' })).toBeNull();
  });

  it('binds a lone modifier on its release, and F-keys', async () => {
    const { user, fake } = await renderApp(pttSnapshot, { view: 'settings' });
    await user.click(screen.getByRole('button', { name: 'Choose a key' }));
    await user.keyboard('{Control}');
    await user.click(screen.getByRole('button', { name: 'Choose a key' }));
    // user-event has no F-keys in its key map: name the physical key (KeyboardEvent.code) instead.
    await user.keyboard('[F8]');
    expect(fake.callsTo('updateSettings')).toEqual([[{ pushToTalkKey: 'Ctrl' }], [{ pushToTalkKey: 'F8' }]]);
  });

  it('cancels key capture with Escape, and removes a key', async () => {
    const { user, fake, push } = await renderApp(pttSnapshot, { view: 'settings' });
    await user.click(screen.getByRole('button', { name: 'Choose a key' }));
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Choose a key' })).toBeTruthy();
    expect(fake.actions()).toEqual([]);

    await push({ ...pttSnapshot, revision: 9, settings: { ...pttSnapshot.settings, pushToTalkKey: 'Ctrl+F8' } });
    expect(screen.getByText('Ctrl + F8').tagName).toBe('KBD');
    await user.click(screen.getByRole('button', { name: 'Remove key' }));
    expect(fake.actions()).toEqual([{ method: 'updateSettings', args: [{ pushToTalkKey: null }] }]);
  });

  it('says where push-to-talk works, and why not everywhere', async () => {
    await renderApp(
      { ...pttSnapshot, pushToTalk: { scope: 'focused', note: 'Wayland does not let apps watch keys in the background.', pressed: false } },
      { view: 'settings' },
    );
    expect(section('Activation').querySelector('.ptt-scope')!.textContent).toBe(
      "The key works only while Parley's window is focused. Wayland does not let apps watch keys in the background.",
    );
  });

  it('sets gain, frame size, bitrate, sounds, chat notifications and tray', async () => {
    const { user, fake } = await renderApp(idleSnapshot, { view: 'settings' });
    fireEvent.change(screen.getByRole('slider', { name: 'Input gain' }), { target: { value: '6' } });
    await user.click(screen.getByRole('radio', { name: '10 ms' }));
    const bitrate = screen.getByRole('slider', { name: 'Voice quality (bitrate)' }) as HTMLInputElement;
    expect([bitrate.min, bitrate.max, bitrate.value]).toEqual(['16', '64', '24']);
    fireEvent.change(bitrate, { target: { value: '40' } });
    await user.click(screen.getByRole('checkbox', { name: 'Play a sound when someone joins or leaves' }));
    await user.click(screen.getByRole('checkbox', { name: 'Notify me of chat messages while Parley is in the background' }));
    await user.click(screen.getByRole('checkbox', { name: 'Keep running in the tray when the window is closed' }));
    const mapPort = screen.getByRole('checkbox', { name: 'Ask my router to open the port' }) as HTMLInputElement;
    expect(mapPort.checked).toBe(true);
    await user.click(mapPort);
    expect(fake.actions()).toEqual([
      { method: 'updateSettings', args: [{ inputGainDb: 6 }] },
      { method: 'updateSettings', args: [{ frameMs: 10 }] },
      { method: 'updateSettings', args: [{ bitrateKbps: 40 }] },
      { method: 'updateSettings', args: [{ cueSounds: false }] },
      { method: 'updateSettings', args: [{ chatNotifications: false }] },
      { method: 'updateSettings', args: [{ closeToTray: false }] },
      { method: 'updateSettings', args: [{ mapPort: false }] },
    ]);
  });

  it('switches echo cancellation, noise suppression and automatic gain, each shown as saved', async () => {
    const { user, fake } = await renderApp(idleSnapshot, { view: 'settings' });
    const processing = within(section('Voice processing'));
    const echo = processing.getByRole('checkbox', { name: 'Echo cancellation' }) as HTMLInputElement;
    const gain = processing.getByRole('checkbox', { name: 'Automatic gain' }) as HTMLInputElement;
    expect([echo.checked, gain.checked]).toEqual([true, true]);
    expect((processing.getByRole('radio', { name: 'High' }) as HTMLInputElement).checked).toBe(true);
    await user.click(echo);
    await user.click(processing.getByRole('radio', { name: 'Low' }));
    await user.click(gain);
    expect(fake.actions()).toEqual([
      { method: 'updateSettings', args: [{ echoCancellation: false }] },
      { method: 'updateSettings', args: [{ noiseSuppression: 'low' }] },
      { method: 'updateSettings', args: [{ autoGain: false }] },
    ]);
  });
});
