import { existsSync } from 'node:fs';
import { AudioDeviceError, DeviceMicrophone, DeviceSpeaker, WavFileSink, WavFileSource, type AudioInput, type AudioOutput } from '../electron/audio/index.js';

/** A WAV file that cannot be read or written, said against the option that named it. */
async function prepared<T extends WavFileSource | WavFileSink>(flag: string, endpoint: T): Promise<T> {
  try {
    await endpoint.prepare();
  } catch (error) {
    throw new Error(`${flag}: ${error instanceof AudioDeviceError ? error.message : String(error)}`, { cause: error });
  }
  return endpoint;
}

/**
 * `--input`: "default", a device name, or a .wav path. A WAV file is read and
 * checked here, before the client joins, so a bad one never shows the room a
 * join and an instant leave.
 */
export async function openInput(spec: string): Promise<AudioInput> {
  if (/\.wav$/i.test(spec)) {
    if (!existsSync(spec)) throw new Error(`--input: no such file: ${spec}`);
    return prepared('--input', new WavFileSource({ path: spec }));
  }
  return new DeviceMicrophone(spec === 'default' ? {} : { device: spec });
}

/** `--output`: as --input; a WAV file is created here, before joining. */
export async function openOutput(spec: string): Promise<AudioOutput> {
  if (/\.wav$/i.test(spec)) return prepared('--output', new WavFileSink({ path: spec }));
  return new DeviceSpeaker(spec === 'default' ? {} : { device: spec });
}
