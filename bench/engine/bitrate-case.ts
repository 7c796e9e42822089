import { WavFileSource } from '../../electron/audio/index.js';
import type { FrameMs } from '../../electron/engine/audio-format.js';
import type { SendPipelineSettings } from '../../electron/engine/send/send-pipeline.js';
import type { Activation } from '../../electron/engine/send/transmit-gate.js';
import { loadSpeech } from '../../test/engine/send/helpers.js';
import { ended, sleep, VoiceRig } from '../../test/support/voice-rig.js';
import { noise } from '../../test/support/noise-signals.js';
import { round } from './stats.js';
import { uplinkRate } from './uplink-rate.js';

/** A quiet microphone's noise: uniform ±0.00097, −65 dBFS RMS, as in the speech fixture's background. */
export const QUIET_ROOM = 0.00097;

/**
 * Uplink bit rate, read off the datagrams the talker actually sent to the
 * relay (an unimpaired proxy records them; uplink-rate.ts counts them).
 * Talking: voice activation on the speech fixture. Silent: a quiet room (or
 * digital silence), with voice activation (nothing should go out) or
 * continuous transmission (only Opus DTX updates should).
 */
export async function bitrateCase(
  mode: 'talking' | 'silent',
  options: { frameMs: FrameMs; activation: Activation; silentSeconds: number; noiseAmplitude?: number },
): Promise<Record<string, unknown>> {
  const rig = await VoiceRig.start();
  try {
    const noiseAmplitude = options.noiseAmplitude ?? QUIET_ROOM;
    const signal = mode === 'talking' ? loadSpeech() : noise(options.silentSeconds, noiseAmplitude, 3);
    const source = new WavFileSource({ path: rig.writeWav(mode, signal) });
    const done = ended(source);
    const send: Partial<SendPipelineSettings> = { frameMs: options.frameMs, activation: options.activation };
    const { client, proxy } = await rig.join({ name: 'talker', input: source, send, network: { seed: 1 } });
    proxy!.record = true;
    const startedAt = performance.now();
    await done;
    await sleep(100);
    await client.leave();
    const wallMs = performance.now() - startedAt;
    const rate = uplinkRate(proxy!.recorded.toRelay, { mode, frameMs: options.frameMs, silentSeconds: options.silentSeconds, wallMs });
    return {
      case: 'bitrate',
      mode,
      frameMs: options.frameMs,
      activation: send.activation,
      ...(mode === 'silent' ? { noiseDbfs: noiseAmplitude === 0 ? null : round(20 * Math.log10(noiseAmplitude / Math.sqrt(3))) } : {}),
      ...rate,
    };
  } finally {
    await rig.close();
  }
}
