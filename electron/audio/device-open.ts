import { classifyPortAudioError, deviceError, type AudioEndpointKind } from './device-error.js';
import { framesPerBlock, framesPerPeriod, type DeviceFormat } from './device-format.js';
import type { AudioDeviceInfo } from './device-list.js';
import { portAudio, type IoStreamRead, type IoStreamWrite, type PortAudioOptions } from './portaudio.js';

export interface StreamTuning {
  /** 10 ms blocks naudiodon may queue between its audio thread and JavaScript (as twice as many half-block chunks). */
  readonly queueChunks: number;
}

function options(device: AudioDeviceInfo, format: DeviceFormat, tuning: StreamTuning): PortAudioOptions {
  const frames = framesPerBlock(format);
  return {
    deviceId: device.id,
    sampleRate: format.sampleRate,
    channelCount: format.channels,
    sampleFormat: 16,
    // Half a 10 ms block per callback (the device buffer is three of them) and
    // one block per chunk: naudiodon's defaults (16 KiB, host-chosen buffers)
    // would add about 170 ms of delay at 48 kHz.
    framesPerBuffer: framesPerPeriod(format),
    highwaterMark: frames * format.channels * 2,
    // Chunks are periods, half a block: capture delivers one per callback, playback writes blocks in halves.
    maxQueue: tuning.queueChunks * 2,
    // Otherwise a passing over/underflow flag makes naudiodon destroy the stream;
    // a device that really fails is caught by the stall watchdog instead.
    closeOnError: false,
  };
}

/**
 * Opens the device at the first format it accepts. PortAudio refuses an
 * unsupported format up front, so each refusal moves on to the next format;
 * any other failure ends the attempt with its own error.
 */
function openFirst<S>(
  kind: AudioEndpointKind,
  device: AudioDeviceInfo,
  formats: readonly DeviceFormat[],
  open: (format: DeviceFormat) => S,
): { stream: S; format: DeviceFormat } {
  let lastError: unknown = new Error('no format to try');
  for (const format of formats) {
    try {
      return { stream: open(format), format };
    } catch (error) {
      const code = classifyPortAudioError(String(error));
      if (code !== 'formatUnsupported') throw deviceError(code, kind, device.name, asError(error));
      lastError = error;
    }
  }
  throw deviceError('formatUnsupported', kind, device.name, asError(lastError));
}

export function openCapture(device: AudioDeviceInfo, formats: readonly DeviceFormat[], tuning: StreamTuning) {
  return openFirst('Microphone', device, formats, (format): IoStreamRead => portAudio().AudioIO({ inOptions: options(device, format, tuning) }));
}

export function openPlayback(device: AudioDeviceInfo, formats: readonly DeviceFormat[], tuning: StreamTuning) {
  return openFirst('Speaker', device, formats, (format): IoStreamWrite => portAudio().AudioIO({ outOptions: options(device, format, tuning) }));
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Starts a stream, turning PortAudio's thrown text into an AudioDeviceError. */
export function startStream(kind: AudioEndpointKind, device: AudioDeviceInfo, stream: { start(): void }): void {
  try {
    stream.start();
  } catch (error) {
    throw deviceError(classifyPortAudioError(String(error)), kind, device.name, asError(error));
  }
}

/**
 * Ends a stream without letting a dead device hang the caller: naudiodon's
 * quit() never settles when the device stopped calling back.
 */
export async function quitStream(stream: { quit(callback?: () => void): void }, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    try {
      // naudiodon's quit is an async function: a native failure would surface as an unhandled rejection.
      const settled = stream.quit(() => {
        clearTimeout(timer);
        resolve(true);
      }) as unknown as Promise<void> | undefined;
      settled?.catch(() => {
        clearTimeout(timer);
        resolve(false);
      });
    } catch {
      clearTimeout(timer);
      resolve(false);
    }
  });
}
