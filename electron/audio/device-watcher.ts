import { EventEmitter } from 'node:events';
import { AudioDeviceError } from './device-error.js';
import { listAudioDevices, type AudioDeviceInfo, type AudioDirection } from './device-list.js';

export interface DeviceListChange {
  readonly direction: AudioDirection;
  readonly devices: readonly AudioDeviceInfo[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Polls the device lists (PortAudio has no hot-plug notification) and emits
 * 'change' when a device name comes or goes, for the settings screen. The
 * microphone and speaker adapters reconnect on their own; they do not need it.
 *
 * While a stream is open in this process PortAudio keeps the list it read
 * when it was initialised, so a device plugged in meanwhile shows up only once
 * every stream has been closed (see docs/audio-devices.md).
 */
export class DeviceWatcher extends EventEmitter {
  private timer: NodeJS.Timeout | undefined;
  private readonly known = new Map<AudioDirection, ReadonlySet<string>>();

  constructor(private readonly intervalMs = 2_000) {
    super();
  }

  override on(event: 'change', listener: (change: DeviceListChange) => void): this;
  override on(event: 'error', listener: (error: AudioDeviceError) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  /** Reads the lists now (reporting every device as added) and then every interval. */
  start(): void {
    if (this.timer) return;
    this.poll();
    this.timer = setInterval(() => this.poll(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.known.clear();
  }

  private poll(): void {
    for (const direction of ['input', 'output'] as const) {
      let devices: AudioDeviceInfo[];
      try {
        devices = listAudioDevices(direction);
      } catch (error) {
        this.emit('error', error instanceof AudioDeviceError ? error : new AudioDeviceError('unknown', String(error), { cause: error }));
        return;
      }
      const names = new Set(devices.map((device) => device.name));
      const before = this.known.get(direction) ?? new Set<string>();
      const added = [...names].filter((name) => !before.has(name));
      const removed = [...before].filter((name) => !names.has(name));
      this.known.set(direction, names);
      if (added.length > 0 || removed.length > 0) this.emit('change', { direction, devices, added, removed } satisfies DeviceListChange);
    }
  }
}
