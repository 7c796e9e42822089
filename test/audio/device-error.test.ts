import { describe, expect, it } from 'vitest';
import { AudioDeviceError, classifyPortAudioError, deviceError } from '../../electron/audio/device-error.js';

describe('PortAudio error classification', () => {
  // The texts naudiodon throws: its own prefix plus PortAudio's Pa_GetErrorText.
  it.each([
    ['Could not open stream: Device unavailable', 'busy'],
    ['Could not open stream: Invalid device', 'notFound'],
    ['No default device', 'notFound'],
    ['Format not supported: Invalid sample rate', 'formatUnsupported'],
    ['Format not supported: Invalid number of channels', 'formatUnsupported'],
    ['Channel count exceeds maximum number of channels for device', 'formatUnsupported'],
    ['Format not supported: Sample format not supported', 'formatUnsupported'],
    ['Could not open stream: Unanticipated host error', 'unknown'],
    ['snd_pcm_open failed: Permission denied', 'permissionDenied'],
  ] as const)('%s -> %s', (text, code) => {
    expect(classifyPortAudioError(text)).toBe(code);
  });
});

describe('AudioDeviceError', () => {
  it('names the device and says what to do', () => {
    const error = deviceError('busy', 'Microphone', 'USB Headset', new Error('Device unavailable'));
    expect(error).toBeInstanceOf(AudioDeviceError);
    expect(error.code).toBe('busy');
    expect(error.message).toBe(
      'Microphone "USB Headset" is in use by another program. Close that program, or pick another device in Settings. (Device unavailable)',
    );
    expect((error.cause as Error).message).toBe('Device unavailable');
  });
});
