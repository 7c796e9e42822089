import { AudioDeviceError, type AudioDeviceErrorCode } from './device-error.js';

const CODES: Record<string, AudioDeviceErrorCode> = {
  ENOENT: 'notFound',
  ENOTDIR: 'notFound',
  EACCES: 'permissionDenied',
  EPERM: 'permissionDenied',
  EROFS: 'permissionDenied',
  EBUSY: 'busy',
};

/** A file-system failure on an audio file, as an AudioDeviceError a user can act on. */
export function fileError(path: string, error: unknown): AudioDeviceError {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const code = CODES[errno] ?? 'unknown';
  const what =
    code === 'notFound' ? 'was not found' : code === 'permissionDenied' ? 'cannot be opened: permission denied' : code === 'busy' ? 'is busy' : 'failed';
  const detail = error instanceof Error ? ` (${error.message})` : '';
  return new AudioDeviceError(code, `Audio file "${path}" ${what}${detail}.`, { cause: error });
}
