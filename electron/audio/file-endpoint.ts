import { EventEmitter } from 'node:events';
import type { AudioDeviceError } from './device-error.js';

/** Events shared by the WAV source and sink: 'error' as for devices, and 'end' when the audio runs out. */
export class FileEndpoint extends EventEmitter {
  constructor(readonly description: string) {
    super();
  }

  override on(event: 'error', listener: (error: AudioDeviceError) => void): this;
  override on(event: 'end', listener: () => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
}
