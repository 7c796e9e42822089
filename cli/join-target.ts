import { existsSync } from 'node:fs';
import { DeviceMicrophone, DeviceSpeaker, WavFileSink, WavFileSource, type AudioInput, type AudioOutput } from '../electron/audio/index.js';

/** `--input`/`--output`: "default", a device name, or a .wav path. */
export function openInput(spec: string): AudioInput {
  if (/\.wav$/i.test(spec)) {
    if (!existsSync(spec)) throw new Error(`--input: no such file: ${spec}`);
    return new WavFileSource({ path: spec });
  }
  return new DeviceMicrophone(spec === 'default' ? {} : { device: spec });
}

export function openOutput(spec: string): AudioOutput {
  if (/\.wav$/i.test(spec)) return new WavFileSink({ path: spec });
  return new DeviceSpeaker(spec === 'default' ? {} : { device: spec });
}
