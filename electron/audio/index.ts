/**
 * Parley's audio edges. Importing this module loads no native code: naudiodon
 * is loaded when a device is first listed or opened.
 */
export type { AudioInput, AudioOutput } from './types.js';
export { AudioDeviceError, classifyPortAudioError, type AudioDeviceErrorCode } from './device-error.js';
export { listAudioDevices, findAudioDevice, type AudioDeviceInfo, type AudioDirection } from './device-list.js';
export type { DeviceFormat } from './device-format.js';
export type { ActiveDevice, DeviceEndpointOptions } from './device-endpoint.js';
export { DeviceMicrophone, type MicrophoneOptions } from './microphone.js';
export { DeviceSpeaker, type SpeakerOptions } from './speaker.js';
export { WavFileSource, type WavSourceOptions } from './wav-source.js';
export { WavFileSink, type WavSinkOptions } from './wav-sink.js';
export type { Pacing } from './block-clock.js';
