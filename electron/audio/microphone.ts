import { SAMPLE_RATE } from '../engine/audio-format.js';
import { createResampler, type Resampler } from '../engine/resample/resampler.js';
import { BlockAssembler } from './block-assembler.js';
import { downmixInt16, int16View } from './channels.js';
import { deviceError } from './device-error.js';
import { DeviceEndpoint, type DeviceEndpointOptions, type DeviceLink } from './device-endpoint.js';
import type { DeviceFormat } from './device-format.js';
import type { AudioDeviceInfo } from './device-list.js';
import { openCapture, quitStream, startStream } from './device-open.js';
import type { IoStreamRead } from './portaudio.js';
import type { AudioDeviceError, AudioInput } from './types.js';

export interface MicrophoneOptions extends DeviceEndpointOptions {
  /**
   * 10 ms chunks naudiodon may hold for JavaScript. Its audio thread blocks
   * when they are all full, so this is the slack for a busy event loop
   * (a garbage collection, say) before the device overflows. Default 8.
   */
  readonly queueChunks?: number;
}

const QUIT_TIMEOUT_MS = 2_000;

/**
 * A microphone through naudiodon: opens the device at 48 kHz mono 16-bit when
 * it can, otherwise at what it offers, and converts (averages the channels,
 * resamples) to the engine's 10 ms blocks.
 *
 * Events: 'error' (AudioDeviceError), 'device' (ActiveDevice) whenever the
 * device in use changes, including after reconnecting.
 */
export class DeviceMicrophone extends DeviceEndpoint<CaptureLink> implements AudioInput {
  protected readonly kind = 'Microphone';
  protected readonly direction = 'input';
  private onBlock: ((block: Float32Array) => void) | undefined;
  private readonly queueChunks: number;

  constructor(options: MicrophoneOptions = {}) {
    super(options);
    this.queueChunks = options.queueChunks ?? 8;
  }

  async start(onBlock: (block: Float32Array) => void): Promise<void> {
    this.onBlock = onBlock;
    await this.begin();
  }

  async stop(): Promise<void> {
    await this.end();
    this.onBlock = undefined;
  }

  protected async openLink(device: AudioDeviceInfo, formats: readonly DeviceFormat[]): Promise<CaptureLink> {
    const { stream, format } = openCapture(device, formats, { queueChunks: this.queueChunks });
    let resampler: Resampler;
    try {
      resampler = await createResampler(format.sampleRate, SAMPLE_RATE);
      const link = new CaptureLink(device, format, stream, resampler, this.clock.now(), this.clock.now.bind(this.clock), (block) => this.deliver(block), (error) =>
        this.emit('error', error),
      );
      startStream('Microphone', device, stream);
      return link;
    } catch (error) {
      await quitStream(stream, QUIT_TIMEOUT_MS);
      throw error;
    }
  }

  private deliver(block: Float32Array): void {
    try {
      this.onBlock?.(block);
    } catch (error) {
      // The consumer's fault, not the device's; the device keeps going.
      this.emit('error', deviceError('unknown', 'Microphone', this.description, error));
    }
  }
}

class CaptureLink implements DeviceLink {
  private lastDataMs: number | undefined;
  private closed = false;
  private readonly assembler: BlockAssembler;

  constructor(
    readonly device: AudioDeviceInfo,
    readonly format: DeviceFormat,
    private readonly stream: IoStreamRead,
    private readonly resampler: Resampler,
    readonly openedAtMs: number,
    private readonly now: () => number,
    deliver: (block: Float32Array) => void,
    private readonly report: (error: AudioDeviceError) => void,
  ) {
    this.assembler = new BlockAssembler(deliver);
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    // naudiodon logs stream errors itself; the watchdog decides whether the device is gone.
    stream.on('error', () => {});
  }

  lastActivityMs(): number | undefined {
    return this.lastDataMs;
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.lastDataMs = this.now();
    try {
      const mono = downmixInt16(int16View(chunk), this.format.channels);
      this.assembler.push(this.resampler.process(mono));
    } catch (error) {
      this.report(deviceError('unknown', 'Microphone', this.device.name, error));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await quitStream(this.stream, QUIT_TIMEOUT_MS);
    this.resampler.destroy();
  }
}
