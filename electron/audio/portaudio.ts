import { createRequire } from 'node:module';
import type * as Naudiodon from 'naudiodon';

/**
 * naudiodon (PortAudio), loaded on first use so that importing Parley's audio
 * types never loads native code. naudiodon is CommonJS, hence `require`.
 *
 * Quirks of naudiodon 2.3.6 that the adapters work around (see docs/audio-devices.md):
 * - `abort()` always throws ("Quit expects 1 argument"); only `quit()` works.
 * - A stream cannot be restarted after `quit()`: open a new AudioIO.
 * - Its audio callback blocks while its queue is empty (output) or full (input),
 *   and a device that disappears simply stops calling back: no error arrives.
 * - `quit()` on an output whose device died never resolves (it waits for a
 *   callback that will not come), pinning one libuv threadpool thread.
 * - A failed open leaves PortAudio initialised, so later listings in this
 *   process see the device list as it was then.
 * - It prints stream details to stdout when a stream opens or ends.
 */
export type PortAudio = typeof Naudiodon;
export type { IoStreamRead, IoStreamWrite, AudioOptions as PortAudioOptions } from 'naudiodon';

let loaded: PortAudio | undefined;

export function portAudio(): PortAudio {
  loaded ??= createRequire(import.meta.url)('naudiodon') as PortAudio;
  return loaded;
}

/** PortAudio's paNoDevice as naudiodon reports it (an unsigned -1). */
export const NO_DEVICE = 0xffff_ffff;
