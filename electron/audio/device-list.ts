import { AudioDeviceError } from './device-error.js';
import { NO_DEVICE, portAudio } from './portaudio.js';

export type AudioDirection = 'input' | 'output';

export interface AudioDeviceInfo {
  /** PortAudio's index: valid only until the device list changes. Select devices by name. */
  readonly id: number;
  readonly name: string;
  /** e.g. "ALSA", "Core Audio", "Windows WASAPI". */
  readonly hostApi: string;
  /** Channels in this direction. */
  readonly channels: number;
  readonly defaultSampleRate: number;
  /** The system's default device for this direction. */
  readonly isDefault: boolean;
}

/**
 * The devices that can capture (input) or play (output), as PortAudio sees
 * them now. On Linux these are ALSA devices; PulseAudio and PipeWire appear as
 * the ALSA devices "pulse"/"pipewire" and "default".
 */
export function listAudioDevices(direction: AudioDirection): AudioDeviceInfo[] {
  let devices: ReturnType<ReturnType<typeof portAudio>['getDevices']>;
  let defaultId: number;
  try {
    const pa = portAudio();
    devices = pa.getDevices();
    const hosts = pa.getHostAPIs();
    const host = hosts.HostAPIs[hosts.defaultHostAPI];
    defaultId = (direction === 'input' ? host?.defaultInput : host?.defaultOutput) ?? NO_DEVICE;
  } catch (error) {
    throw new AudioDeviceError('unknown', `The audio system could not list devices (${String(error)}).`, { cause: error });
  }
  const result: AudioDeviceInfo[] = [];
  for (const device of devices) {
    const channels = direction === 'input' ? device.maxInputChannels : device.maxOutputChannels;
    if (channels <= 0) continue;
    result.push({
      id: device.id,
      name: device.name,
      hostApi: device.hostAPIName,
      channels,
      defaultSampleRate: device.defaultSampleRate,
      isDefault: device.id === defaultId,
    });
  }
  return result;
}

/** The named device, or the system default when `name` is undefined; undefined if absent. */
export function findAudioDevice(devices: readonly AudioDeviceInfo[], name: string | undefined): AudioDeviceInfo | undefined {
  if (name === undefined) return devices.find((device) => device.isDefault) ?? devices[0];
  return devices.find((device) => device.name === name);
}
