import type { EventEmitter } from 'node:events';
import type { AudioDeviceError } from './device-error.js';

/**
 * Emits 'error' only when someone listens. An EventEmitter throws an 'error'
 * nobody listens to; from a timer or device callback that would crash the
 * process, so an unheard error is dropped instead.
 */
export function reportError(emitter: EventEmitter, error: AudioDeviceError): void {
  if (emitter.listenerCount('error') > 0) emitter.emit('error', error);
}
