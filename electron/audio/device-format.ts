import { SAMPLE_RATE } from '../engine/audio-format.js';
import type { AudioDeviceInfo } from './device-list.js';

/** What a device stream runs at. Samples are always 16-bit signed integers. */
export interface DeviceFormat {
  readonly sampleRate: number;
  readonly channels: number;
}

/**
 * Formats to try, best first: the engine's own (48 kHz mono, no conversion),
 * then the conversions a device is likelier to accept. Channel counts beyond
 * the device's are left out, since PortAudio would refuse them anyway.
 */
export function candidateFormats(device: AudioDeviceInfo): DeviceFormat[] {
  const rates = [SAMPLE_RATE, device.defaultSampleRate];
  const channelCounts = [1, 2];
  const formats: DeviceFormat[] = [];
  for (const sampleRate of rates) {
    for (const channels of channelCounts) {
      if (channels > device.channels || sampleRate <= 0) continue;
      if (formats.some((f) => f.sampleRate === sampleRate && f.channels === channels)) continue;
      formats.push({ sampleRate, channels });
    }
  }
  return formats;
}

/** Device frames in one 10 ms block at this rate (fractional rates round). */
export function framesPerBlock(format: DeviceFormat): number {
  return Math.round(format.sampleRate / 100);
}

/**
 * A device period: how much audio PortAudio moves per callback, 5 ms. ALSA's
 * pulse plugin (Linux's usual path) holds at least three periods, and
 * PortAudio fills them all, so the period sets that buffer: 15 ms here
 * against 30 ms at one 10 ms block per period. naudiodon 2.3.6 offers no
 * other handle on it (it always asks for the device's default low latency).
 */
export const DEVICE_PERIOD_MS = 5;

/** Device frames in one period at this rate (fractional rates round). */
export function framesPerPeriod(format: DeviceFormat): number {
  return Math.round((format.sampleRate * DEVICE_PERIOD_MS) / 1000);
}

export function describeFormat(format: DeviceFormat): string {
  return `${format.sampleRate} Hz, ${format.channels === 1 ? 'mono' : `${format.channels} channels`}, 16-bit`;
}
