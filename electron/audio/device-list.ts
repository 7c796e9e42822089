import type { HostInfo } from 'naudiodon';
import { AudioDeviceError } from './device-error.js';
import { NO_DEVICE, portAudio } from './portaudio.js';

/**
 * Where a system has several host APIs (Windows: MME, DirectSound, WASAPI,
 * WDM-KS), Parley takes WASAPI's devices: its shared mode adds about
 * 20–30 ms each way, where MME, PortAudio's default there, adds about 90
 * (docs/audio-devices.md). Elsewhere there is one that matters (ALSA, Core
 * Audio) and PortAudio's default is kept.
 */
export const PREFERRED_HOST_API = { type: 'WASAPI', name: 'Windows WASAPI' } as const;

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
    const host = defaultHost(hosts.HostAPIs, hosts.defaultHostAPI, direction);
    defaultId = host === undefined ? NO_DEVICE : defaultOf(host, direction);
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

/**
 * The named device, or the system default when `name` is undefined; undefined
 * if absent. A name listed under several host APIs is taken from WASAPI's.
 */
export function findAudioDevice(devices: readonly AudioDeviceInfo[], name: string | undefined): AudioDeviceInfo | undefined {
  if (name === undefined) return devices.find((device) => device.isDefault) ?? devices[0];
  const named = devices.filter((device) => device.name === name);
  return named.find((device) => device.hostApi === PREFERRED_HOST_API.name) ?? named[0];
}

type HostDefaults = Pick<HostInfo, 'type' | 'defaultInput' | 'defaultOutput'>;

/** The host API whose default device is the default: WASAPI when it has one in this direction, else PortAudio's default host API. */
export function defaultHost<Host extends HostDefaults>(hosts: readonly Host[], defaultIndex: number, direction: AudioDirection): Host | undefined {
  const preferred = hosts.find((host) => host.type === PREFERRED_HOST_API.type && defaultOf(host, direction) !== NO_DEVICE);
  return preferred ?? hosts[defaultIndex];
}

function defaultOf(host: HostDefaults, direction: AudioDirection): number {
  const id = direction === 'input' ? host.defaultInput : host.defaultOutput;
  return id >= 0 && id !== NO_DEVICE ? id : NO_DEVICE;
}
