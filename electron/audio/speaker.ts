import { BLOCK_MS, BLOCK_SAMPLES, SAMPLE_RATE } from '../engine/audio-format.js';
import { createResampler, type Resampler } from '../engine/resample/resampler.js';
import { upmixToInt16 } from './channels.js';
import { deviceError } from './device-error.js';
import { DeviceEndpoint, type DeviceEndpointOptions, type DeviceLink } from './device-endpoint.js';
import type { DeviceFormat } from './device-format.js';
import type { AudioDeviceInfo } from './device-list.js';
import { openPlayback, quitStream, startStream } from './device-open.js';
import type { IoStreamWrite } from './portaudio.js';
import type { AudioOutput } from './types.js';

export interface SpeakerOptions extends DeviceEndpointOptions {
  /**
   * 10 ms chunks naudiodon queues ahead of the device, on top of the one
   * being played and the one on its way. Each adds 10 ms of latency; measured
   * through PulseAudio, 1 gave 50 ms output-to-monitor, 2 gave 60, 4 gave 80
   * (10 ms periods). Default 1: in a minute's call through PulseAudio it
   * underran no more often than 2 did (docs/benchmarks.md, mouth-to-ear);
   * the device's own buffer (three 5 ms periods) is slack too.
   */
  readonly queueChunks?: number;
}

const QUIT_TIMEOUT_MS = 2_000;
/** Blocks the device must take before its pace counts as activity for the stall watchdog. */
const STARTUP_BLOCKS = 10;
/** Pulls in a row that may come out of the resampler empty (its start-up delay) before writing anyway. */
const MAX_EMPTY_PULLS = 4;

/**
 * A speaker through naudiodon, paced by the device: a block is pulled only
 * when naudiodon has taken the previous one into its bounded queue, so at
 * most queueChunks + 2 blocks wait for the device whatever the engine does,
 * and a slow process makes the device play silence rather than lag behind.
 *
 * Events: 'error' (AudioDeviceError), 'device' (ActiveDevice).
 */
export class DeviceSpeaker extends DeviceEndpoint<PlaybackLink> implements AudioOutput {
  protected readonly kind = 'Speaker';
  protected readonly direction = 'output';
  readonly acoustic = true;
  private pull: (() => Float32Array) | undefined;
  private readonly queueChunks: number;
  private pullFailed = false;

  constructor(options: SpeakerOptions = {}) {
    super(options);
    this.queueChunks = options.queueChunks ?? 1;
  }

  get bufferedMs(): number {
    return this.current?.bufferedMs() ?? 0;
  }

  async start(pull: () => Float32Array): Promise<void> {
    this.pull = pull;
    await this.begin();
  }

  async stop(): Promise<void> {
    await this.end();
    this.pull = undefined;
  }

  protected async openLink(device: AudioDeviceInfo, formats: readonly DeviceFormat[]): Promise<PlaybackLink> {
    const { stream, format } = openPlayback(device, formats, { queueChunks: this.queueChunks });
    try {
      const resampler = await createResampler(SAMPLE_RATE, format.sampleRate);
      const link = new PlaybackLink(device, format, stream, resampler, this.queueChunks, this.clock.now.bind(this.clock), () => this.nextBlock());
      startStream('Speaker', device, stream);
      link.pump();
      return link;
    } catch (error) {
      await quitStream(stream, QUIT_TIMEOUT_MS);
      throw error;
    }
  }

  /** The engine's next block; silence if it fails or misbehaves, which is reported once per bad spell. */
  private nextBlock(): Float32Array {
    try {
      const block = this.pull?.() ?? new Float32Array(BLOCK_SAMPLES);
      if (block.length !== BLOCK_SAMPLES) throw new RangeError(`pull() returned ${block.length} samples, expected ${BLOCK_SAMPLES}`);
      this.pullFailed = false;
      return block;
    } catch (error) {
      if (!this.pullFailed) this.report(deviceError('unknown', 'Speaker', this.description, error));
      this.pullFailed = true;
      return new Float32Array(BLOCK_SAMPLES);
    }
  }
}

class PlaybackLink implements DeviceLink {
  readonly openedAtMs: number;
  private closed = false;
  private pulled = 0;
  private taken = 0;
  private lastTakenMs: number | undefined;

  constructor(
    readonly device: AudioDeviceInfo,
    readonly format: DeviceFormat,
    private readonly stream: IoStreamWrite,
    private readonly resampler: Resampler,
    private readonly queueChunks: number,
    private readonly now: () => number,
    private readonly nextBlock: () => Float32Array,
  ) {
    this.openedAtMs = now();
    // naudiodon logs stream errors itself; the watchdog decides whether the device is gone.
    stream.on('error', () => {});
  }

  lastActivityMs(): number | undefined {
    return this.lastTakenMs;
  }

  /**
   * Blocks pulled but not yet started by the device. naudiodon accepts block n
   * only once block n - queueChunks has left its queue for the device, so
   * that many blocks before the newest accepted one have started; the one
   * playing is assumed to drain at real time.
   */
  bufferedMs(): number {
    const started = Math.max(0, this.taken - this.queueChunks);
    const sinceTaken = this.lastTakenMs === undefined ? 0 : Math.min(BLOCK_MS, this.now() - this.lastTakenMs);
    return Math.max(0, (this.pulled - started) * BLOCK_MS - sinceTaken);
  }

  pump(): void {
    if (this.closed) return;
    let samples: Float32Array = new Float32Array(0);
    let blocks = 0;
    for (; samples.length === 0 && blocks < MAX_EMPTY_PULLS; blocks++) {
      samples = this.resampler.process(this.nextBlock());
    }
    this.pulled += blocks;
    const pcm = upmixToInt16(samples, this.format.channels);
    // Written as two half-block chunks, period-sized: the one waiting for a place in naudiodon's queue
    // then holds 5 ms, not 10, for the same 10 ms of queue.
    const half = Math.floor(pcm.length / this.format.channels / 2) * this.format.channels;
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    this.stream.write(bytes.subarray(0, half * 2), (error) => {
      // A failed stream stops here; the watchdog sees the silence and reconnects.
      if (error || this.closed) return;
      this.stream.write(bytes.subarray(half * 2), (error) => {
        if (error) return;
        this.taken += blocks;
        // The first writes only fill naudiodon's queue, and PortAudio takes a few more at once before
        // a start-up pause of up to ~2 s under PulseAudio; only steady taking proves the device plays.
        if (this.taken > this.queueChunks + STARTUP_BLOCKS) this.lastTakenMs = this.now();
        this.pump();
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await quitStream(this.stream, QUIT_TIMEOUT_MS);
    this.resampler.destroy();
  }
}
