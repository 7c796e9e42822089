import { describe, expect, it } from 'vitest';
import { defaultHost, findAudioDevice, type AudioDeviceInfo } from '../../electron/audio/device-list.js';
import { NO_DEVICE } from '../../electron/audio/portaudio.js';

const host = (type: 'MME' | 'DirectSound' | 'WASAPI' | 'ALSA' | 'OSS', defaultInput: number, defaultOutput: number) => ({ type, defaultInput, defaultOutput });
const device = (id: number, name: string, hostApi: string, isDefault = false): AudioDeviceInfo => ({ id, name, hostApi, channels: 2, defaultSampleRate: 48_000, isDefault });

describe('which host API’s devices Parley takes', () => {
  it('on Windows, WASAPI’s default device rather than MME’s (PortAudio’s default host API there)', () => {
    const windows = [host('MME', 1, 2), host('DirectSound', 5, 6), host('WASAPI', 9, 10)];
    expect(defaultHost(windows, 0, 'input')?.type).toBe('WASAPI');
    expect(defaultHost(windows, 0, 'output')?.defaultOutput).toBe(10);
  });

  it('keeps PortAudio’s default host API where WASAPI is absent or has no device in that direction', () => {
    expect(defaultHost([host('ALSA', 3, 4), host('OSS', 7, 8)], 0, 'input')?.type).toBe('ALSA');
    const noWasapiInput = [host('MME', 1, 2), host('WASAPI', NO_DEVICE, 10)];
    expect(defaultHost(noWasapiInput, 0, 'input')?.type).toBe('MME');
    expect(defaultHost(noWasapiInput, 0, 'output')?.type).toBe('WASAPI');
    expect(defaultHost([host('MME', 1, 2), host('WASAPI', -1, 10)], 0, 'input')?.type).toBe('MME');
    expect(defaultHost([], -1, 'input')).toBeUndefined();
  });

  it('takes a name listed under several host APIs from WASAPI, else the first of that name', () => {
    const devices = [device(1, 'Speakers', 'MME'), device(4, 'Speakers', 'Windows DirectSound'), device(9, 'Speakers', 'Windows WASAPI', true), device(12, 'pulse', 'ALSA'), device(13, 'pulse', 'OSS')];
    expect(findAudioDevice(devices, 'Speakers')?.id).toBe(9);
    expect(findAudioDevice(devices, 'pulse')?.id).toBe(12);
    expect(findAudioDevice(devices, undefined)?.id).toBe(9);
    expect(findAudioDevice(devices, 'Headset')).toBeUndefined();
  });
});
