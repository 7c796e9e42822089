/**
 * The mouth-to-ear case's device-only path, in a process of its own (its
 * PULSE_SOURCE and PULSE_SINK pick the devices, and naudiodon's printing
 * stays off the benchmark's stdout): the microphone's blocks handed straight
 * to the speaker, no engine. Sends 'ready' once the devices run; on 'stop'
 * closes them and sends the speaker's median queued delay.
 */
import { DeviceMicrophone, DeviceSpeaker } from '../../electron/audio/index.js';
import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { quantile } from './stats.js';

export type DeviceLoopMessage = { type: 'ready' } | { type: 'result'; playoutQueueMs: number };

const send = (message: DeviceLoopMessage): void => void process.send?.(message);

const waiting: Float32Array[] = [];
const queued: number[] = [];
const microphone = new DeviceMicrophone();
const speaker = new DeviceSpeaker();
// The hand-over waits up to one block for the speaker's next pull, as the engine's playout does.
await speaker.start(() => {
  queued.push(speaker.bufferedMs);
  return waiting.shift() ?? new Float32Array(BLOCK_SAMPLES);
});
await microphone.start((block) => {
  waiting.push(block);
  // A burst at start-up must not become standing delay: at most one block waits.
  while (waiting.length > 1) waiting.shift();
});
send({ type: 'ready' });
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  void (async () => {
    await microphone.stop();
    await speaker.stop();
    send({ type: 'result', playoutQueueMs: quantile(queued.slice(-1_000), 0.5) });
    process.disconnect();
  })();
});
