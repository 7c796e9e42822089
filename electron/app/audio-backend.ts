import type { DeviceInfo } from '../api/contract.js';
import type { AudioInput, AudioOutput } from '../audio/types.js';

/**
 * Where the controller gets its microphone and speaker. The desktop app and
 * `parley join` use the naudiodon devices; tests may use the same devices on
 * PulseAudio's virtual sinks, or WAV files.
 */
export interface AudioBackend {
  listDevices(): Promise<{ inputs: DeviceInfo[]; outputs: DeviceInfo[] }>;
  /** null opens the system default. Throws AudioDeviceError. */
  openInput(deviceName: string | null): Promise<AudioInput>;
  openOutput(deviceName: string | null): Promise<AudioOutput>;
}
