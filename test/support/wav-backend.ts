import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wavefile from 'wavefile';
import type { AudioBackend } from '../../electron/app/audio-backend.js';
import { AudioDeviceError, WavFileSink, WavFileSource } from '../../electron/audio/index.js';

/**
 * An AudioBackend of WAV files, for running the app controller without
 * sound hardware: the "microphone" plays a file (silence by default), the
 * "speaker" records into one. Device names map to files; an unknown name
 * fails the way a missing device does.
 */
export class WavBackend implements AudioBackend {
  readonly recordings: string[] = [];
  private opened = 0;

  constructor(
    private readonly dir: string,
    private readonly inputs: Record<string, string> = {},
    /** Play the named inputs over and over, for a listener who comes at any time. */
    private readonly loopInputs = false,
  ) {}

  static silentWav(dir: string, seconds = 30): string {
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 48_000, '16', new Int16Array(48_000 * seconds));
    const path = join(dir, `silence-${seconds}s.wav`);
    writeFileSync(path, wav.toBuffer());
    return path;
  }

  async listDevices() {
    return {
      inputs: [{ name: 'default', hostApi: 'WAV', isDefault: true }, ...Object.keys(this.inputs).map((name) => ({ name, hostApi: 'WAV', isDefault: false }))],
      outputs: [{ name: 'default', hostApi: 'WAV', isDefault: true }],
    };
  }

  async openInput(deviceName: string | null) {
    if (deviceName !== null && !(deviceName in this.inputs)) throw new AudioDeviceError('notFound', `Microphone "${deviceName}" was not found.`);
    const path = deviceName === null ? WavBackend.silentWav(this.dir) : this.inputs[deviceName]!;
    return new WavFileSource({ path, loop: this.loopInputs && deviceName !== null });
  }

  async openOutput(deviceName: string | null) {
    if (deviceName !== null && deviceName !== 'default') throw new AudioDeviceError('notFound', `Speaker "${deviceName}" was not found.`);
    const path = join(this.dir, `speaker-${++this.opened}.wav`);
    this.recordings.push(path);
    return new WavFileSink({ path });
  }
}
