import type { DeviceInfo } from '../api/contract.js';
import { AudioDeviceError, type AudioInput, type AudioOutput } from '../audio/types.js';
import type { AudioBackend } from './audio-backend.js';
import type { Notices } from './notices.js';

export interface DeviceLists {
  inputs: DeviceInfo[];
  outputs: DeviceInfo[];
}

/**
 * The devices to choose from, and opening the chosen ones: a chosen device
 * that is missing falls back to the system default, with a notice.
 */
export class DeviceChoice {
  private listed: DeviceLists = { inputs: [], outputs: [] };

  constructor(
    private readonly audio: AudioBackend,
    private readonly notices: Notices,
    private readonly changed: () => void,
  ) {}

  get lists(): DeviceLists {
    return this.listed;
  }

  async refresh(): Promise<void> {
    try {
      this.listed = await this.audio.listDevices();
    } catch (error) {
      this.listed = { inputs: [], outputs: [] };
      this.notices.add('error', `Audio devices could not be listed: ${(error as Error).message}`);
    }
    this.changed();
  }

  openInput(chosen: string | null): Promise<AudioInput> {
    return this.openWithFallback((name) => this.audio.openInput(name), chosen, 'Microphone');
  }

  openOutput(chosen: string | null): Promise<AudioOutput> {
    return this.openWithFallback((name) => this.audio.openOutput(name), chosen, 'Speaker');
  }

  /** Both, or neither: an input opened before the output failed is stopped again. */
  async openBoth(input: string | null, output: string | null): Promise<{ input: AudioInput; output: AudioOutput }> {
    const opened = await this.openInput(input);
    try {
      return { input: opened, output: await this.openOutput(output) };
    } catch (error) {
      await opened.stop();
      throw error;
    }
  }

  /** The chosen device, or the system default with a notice when the chosen one is missing. */
  private async openWithFallback<T>(open: (name: string | null) => Promise<T>, chosen: string | null, what: string): Promise<T> {
    if (chosen === null) return open(null);
    try {
      return await open(chosen);
    } catch (error) {
      if (!(error instanceof AudioDeviceError)) throw error;
      this.notices.add('warning', `${what} "${chosen}" is not available (${error.message}); using the system default.`);
      return open(null);
    }
  }
}
