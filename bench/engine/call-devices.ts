import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useVirtualAudio } from '../../test/audio/helpers/virtual-audio.js';

const run = promisify(execFile);

/** The bench's own PulseAudio daemon, apart from the device tests' one (/tmp/parley-audio), so neither disturbs the other. */
const STATE_DIR = process.env.PARLEY_AUDIO_DIR ?? '/tmp/parley-bench-audio';

/** The PulseAudio devices of one client: libpulse reads PULSE_SOURCE and PULSE_SINK. */
export interface ClientDevices {
  PULSE_SOURCE: string;
  PULSE_SINK: string;
}

/** Virtual devices for a two-person call; see loadCallDevices. */
export interface CallDevices {
  /** The daemon's environment (XDG_RUNTIME_DIR, ALSA_CONFIG_PATH), also set on this process. */
  env: Record<string, string>;
  talker: ClientDevices;
  listener: ClientDevices;
  /** The stereo sink whose left channel is the talker's microphone and whose right is the listener's speaker. */
  probe: string;
  unload(): Promise<void>;
}

/**
 * Virtual devices for a call, measured on one sample clock: a stereo null
 * sink `m2e_probe`. The talker's microphone is its left channel (a remap
 * source on the monitor), the listener's speaker writes its right channel (a
 * remap sink), so a recording of the probe's monitor holds the sound the
 * talker made and the sound the listener heard side by side, and neither
 * feeds the other. Each client's other device is a null sink of its own.
 */
export async function loadCallDevices(): Promise<CallDevices> {
  const env = await useVirtualAudio(STATE_DIR);
  const pactl = async (...args: string[]): Promise<string> => (await run('pactl', args)).stdout.trim();
  const modules: string[] = [];
  const load = async (...args: string[]): Promise<void> => void modules.push(await pactl('load-module', ...args));
  const unload = async (): Promise<void> => {
    for (const module of modules.reverse()) await pactl('unload-module', module).catch(() => undefined);
  };
  try {
    await load('module-null-sink', 'sink_name=m2e_probe', 'rate=48000', 'channels=2', 'channel_map=front-left,front-right');
    await load('module-remap-source', 'source_name=m2e_mouth', 'master=m2e_probe.monitor', 'channels=1', 'master_channel_map=front-left', 'channel_map=mono', 'remix=no');
    await load('module-remap-sink', 'sink_name=m2e_ear', 'master=m2e_probe', 'channels=1', 'master_channel_map=front-right', 'channel_map=mono', 'remix=no');
    await load('module-null-sink', 'sink_name=m2e_talker_out', 'rate=48000');
    await load('module-null-sink', 'sink_name=m2e_listener_mic', 'rate=48000');
  } catch (error) {
    await unload();
    throw error;
  }
  return {
    env,
    talker: { PULSE_SOURCE: 'm2e_mouth', PULSE_SINK: 'm2e_talker_out' },
    listener: { PULSE_SOURCE: 'm2e_listener_mic.monitor', PULSE_SINK: 'm2e_ear' },
    probe: 'm2e_probe',
    unload,
  };
}
