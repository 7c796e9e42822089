/** Why an audio device (or file) could not be used; each maps to one message a user can act on. */
export type AudioDeviceErrorCode = 'notFound' | 'busy' | 'unplugged' | 'permissionDenied' | 'formatUnsupported' | 'unknown';

export class AudioDeviceError extends Error {
  override readonly name = 'AudioDeviceError';

  constructor(
    readonly code: AudioDeviceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The kind of thing that failed, as the user knows it: "Microphone", "Speaker", "Audio file". */
export type AudioEndpointKind = 'Microphone' | 'Speaker' | 'Audio file';

const ADVICE: Record<AudioDeviceErrorCode, string> = {
  notFound: 'was not found. Check that it is plugged in, or pick another one in Settings.',
  busy: 'is in use by another program. Close that program, or pick another device in Settings.',
  unplugged: 'stopped responding (was it unplugged?). Parley will reconnect when it is back.',
  permissionDenied: 'cannot be opened: permission denied. Allow Parley to use it in your system settings.',
  formatUnsupported: 'does not support any audio format Parley can use.',
  unknown: 'failed.',
};

export function deviceError(code: AudioDeviceErrorCode, kind: AudioEndpointKind, name: string, cause?: unknown): AudioDeviceError {
  const detail = cause instanceof Error ? ` (${cause.message})` : '';
  return new AudioDeviceError(code, `${kind} "${name}" ${ADVICE[code]}${detail}`, { cause });
}

// PortAudio reports failures as text (naudiodon throws `Could not open stream: <Pa_GetErrorText>`),
// so the code is recovered from the wording PortAudio and ALSA use.
const PATTERNS: ReadonlyArray<readonly [RegExp, AudioDeviceErrorCode]> = [
  [/permission|EACCES|access denied/i, 'permissionDenied'],
  [/device unavailable|busy|EBUSY|in use/i, 'busy'],
  [/invalid device|no default device|device not found|ENODEV|no such device|ENOENT/i, 'notFound'],
  [/sample rate|sampleFormat|sample format|number of channels|channel count|format not supported/i, 'formatUnsupported'],
];

export function classifyPortAudioError(message: string): AudioDeviceErrorCode {
  for (const [pattern, code] of PATTERNS) if (pattern.test(message)) return code;
  return 'unknown';
}
