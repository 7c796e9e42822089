import type { DeviceInfo } from '../api/contract.js';
import { DeviceMicrophone, DeviceSpeaker, listAudioDevices, type AudioDeviceInfo } from '../audio/index.js';
import type { AudioBackend } from './audio-backend.js';

const view = (device: AudioDeviceInfo): DeviceInfo => ({ name: device.name, hostApi: device.hostApi, isDefault: device.isDefault });

/**
 * The real microphone and speaker through naudiodon. The endpoints fall back
 * to the system default when the chosen device is missing, and return to it
 * when it comes back.
 */
export function createDeviceBackend(): AudioBackend {
  return {
    async listDevices() {
      return { inputs: listAudioDevices('input').map(view), outputs: listAudioDevices('output').map(view) };
    },
    async openInput(deviceName) {
      return new DeviceMicrophone(deviceName === null ? {} : { device: deviceName });
    },
    async openOutput(deviceName) {
      return new DeviceSpeaker(deviceName === null ? {} : { device: deviceName });
    },
  };
}
