import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../../server/shared/clock.js';
import { AudioDeviceError, deviceError, type AudioEndpointKind } from './device-error.js';
import { candidateFormats, type DeviceFormat } from './device-format.js';
import { findAudioDevice, listAudioDevices, type AudioDeviceInfo, type AudioDirection } from './device-list.js';

export interface DeviceEndpointOptions {
  /** Device name as listed by listAudioDevices; omitted means the system default. */
  readonly device?: string;
  /** Formats to try instead of the automatic choice (48 kHz mono first). */
  readonly formats?: readonly DeviceFormat[];
  /** A running device silent this long is taken as lost. Default 2000 ms. */
  readonly stallMs?: number;
  /** A new stream must deliver within this long (PulseAudio takes ~1.2 s). Default 6000 ms. */
  readonly startupMs?: number;
  /** How often to try again while the device is lost or a fallback is in use. Default 2000 ms. */
  readonly retryMs?: number;
  readonly clock?: Clock;
}

/** The device an endpoint is using, announced by the 'device' event whenever it changes. */
export interface ActiveDevice {
  readonly name: string;
  readonly format: DeviceFormat;
  /** True while a fallback stands in for the device that was asked for. */
  readonly fallback: boolean;
}

/** One open stream on one device. */
export interface DeviceLink {
  readonly device: AudioDeviceInfo;
  readonly format: DeviceFormat;
  readonly openedAtMs: number;
  /** When the device last consumed or produced audio; undefined until it first does. */
  lastActivityMs(): number | undefined;
  close(): Promise<void>;
}

const WATCHDOG_TICK_MS = 100;

/**
 * What microphones and speakers share: picking the device, falling back to
 * the default one, noticing a device that went silent, and reconnecting.
 * Failures become 'error' events; nothing is thrown from a timer or callback.
 */
export abstract class DeviceEndpoint<Link extends DeviceLink> extends EventEmitter {
  protected abstract readonly kind: AudioEndpointKind;
  protected abstract readonly direction: AudioDirection;
  /** Opens and starts a stream; throws AudioDeviceError. */
  protected abstract openLink(device: AudioDeviceInfo, formats: readonly DeviceFormat[]): Promise<Link>;

  protected readonly clock: Clock;
  private readonly stallMs: number;
  private readonly startupMs: number;
  private readonly retryMs: number;
  private link: Link | undefined;
  private onFallback = false;
  private running = false;
  private busy = false;
  private lastAttemptMs = -Infinity;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly options: DeviceEndpointOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.stallMs = options.stallMs ?? 2_000;
    this.startupMs = options.startupMs ?? 6_000;
    this.retryMs = options.retryMs ?? 2_000;
  }

  override on(event: 'error', listener: (error: AudioDeviceError) => void): this;
  override on(event: 'device', listener: (device: ActiveDevice) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  get description(): string {
    return this.link?.device.name ?? this.options.device ?? 'default';
  }

  /** The stream in use, if any. */
  protected get current(): Link | undefined {
    return this.link;
  }

  protected async begin(): Promise<void> {
    if (this.running) throw new Error(`${this.kind} already started`);
    this.running = true;
    this.busy = true;
    try {
      const opened = await this.connect('start');
      if (!opened) throw new Error('unreachable: start either opens a device or throws');
    } catch (error) {
      this.running = false;
      throw error;
    } finally {
      this.busy = false;
    }
    this.watchdog = setInterval(() => void this.tick(), WATCHDOG_TICK_MS);
  }

  protected async end(): Promise<void> {
    this.running = false;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    const link = this.link;
    this.link = undefined;
    if (link) await link.close();
  }

  private formatsFor(device: AudioDeviceInfo): readonly DeviceFormat[] {
    return this.options.formats ?? candidateFormats(device);
  }

  private async use(device: AudioDeviceInfo, fallback: boolean): Promise<void> {
    const link = await this.openLink(device, this.formatsFor(device));
    if (!this.running) {
      await link.close();
      return;
    }
    const previous = this.link;
    this.link = link;
    this.onFallback = fallback;
    this.emit('device', { name: device.name, format: link.format, fallback } satisfies ActiveDevice);
    if (previous) await previous.close();
  }

  /**
   * Opens the wanted device, else the default one. At start the errors are
   * reported only if a fallback saves the day (otherwise start() rejects with
   * them); while reconnecting they stay quiet, having been reported once.
   */
  private async connect(mode: 'start' | 'retry' | 'return'): Promise<boolean> {
    const devices = listAudioDevices(this.direction);
    const wanted = findAudioDevice(devices, this.options.device);
    const errors: AudioDeviceError[] = [];
    if (wanted) {
      try {
        await this.use(wanted, false);
        return true;
      } catch (error) {
        errors.push(asDeviceError(error, this.kind, wanted.name));
      }
    } else {
      errors.push(deviceError('notFound', this.kind, this.options.device ?? 'default'));
    }
    if (mode === 'return') return false;
    const fallback = this.options.device === undefined ? undefined : findAudioDevice(devices, undefined);
    if (fallback && fallback.name !== wanted?.name) {
      try {
        await this.use(fallback, true);
        if (mode === 'start') for (const error of errors) this.emit('error', error);
        return true;
      } catch (error) {
        errors.push(asDeviceError(error, this.kind, fallback.name));
      }
    }
    if (mode === 'start') throw errors[0];
    return false;
  }

  private stalled(link: Link, now: number): boolean {
    const last = link.lastActivityMs();
    return last === undefined ? now - link.openedAtMs > this.startupMs : now - last > this.stallMs;
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.running) return;
    const now = this.clock.now();
    const link = this.link;
    if (link && this.stalled(link, now)) {
      this.link = undefined;
      this.emit('error', deviceError('unplugged', this.kind, link.device.name));
      void link.close();
      this.lastAttemptMs = now;
      return;
    }
    const wantsReturn = link !== undefined && this.onFallback;
    if ((link && !wantsReturn) || now - this.lastAttemptMs < this.retryMs) return;
    this.lastAttemptMs = now;
    this.busy = true;
    try {
      await this.connect(wantsReturn ? 'return' : 'retry');
    } catch (error) {
      // Listing itself failed (the audio system is down); the next attempt may fare better.
      if (!(error instanceof AudioDeviceError)) this.emit('error', asDeviceError(error, this.kind, this.description));
    } finally {
      this.busy = false;
    }
  }
}

function asDeviceError(error: unknown, kind: AudioEndpointKind, name: string): AudioDeviceError {
  return error instanceof AudioDeviceError ? error : deviceError('unknown', kind, name, error);
}
