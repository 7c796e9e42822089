import { fork } from 'node:child_process';
import { join } from 'node:path';
import { WavFileSource } from '../../electron/audio/index.js';
import { SPEECH_WAV } from '../../test/engine/send/helpers.js';
import { RIG_SECRET, VoiceRig } from '../../test/support/voice-rig.js';
import { compileBenchProcesses } from '../relay/compile.js';
import { nextMessage, reap } from '../relay/spawn.js';
import type { ListenerArgs, ListenerResult } from './listener-process.js';

const isJoined = (message: unknown): message is { type: 'joined' } => (message as { type?: unknown }).type === 'joined';
const isResult = (message: unknown): message is ListenerResult => (message as { type?: unknown }).type === 'result';

/**
 * One client hearing `talkers` others speak at once (continuous
 * transmission, speech looped) while sending speech itself. The client runs
 * in a child process of its own, compiled to plain JavaScript as the app
 * ships (no loader in its CPU or RSS); the talkers run in this one.
 */
export async function cpuCase(options: { talkers: number; warmupMs: number; windowMs: number; profilePath?: string }): Promise<Record<string, unknown>> {
  const compiled = await compileBenchProcesses();
  const rig = await VoiceRig.start();
  const args: ListenerArgs = { relayPort: rig.relay.address.port, secret: RIG_SECRET, speechPath: SPEECH_WAV, ...options };
  const listener = join(compiled.dir, 'bench', 'engine', 'listener-process.js');
  const child = fork(listener, [JSON.stringify(args)], { stdio: ['ignore', 2, 2, 'ipc'] });
  try {
    await nextMessage(child, 'the listener', 30_000, isJoined);
    for (let i = 0; i < options.talkers; i++) {
      await rig.join({ name: `talker-${i + 1}`, room: 'cpu', input: new WavFileSource({ path: SPEECH_WAV, loop: true }), send: { activation: 'continuous' } });
    }
    child.send({ type: 'measure' });
    const result = await nextMessage(child, 'the listener', options.warmupMs + options.windowMs + 30_000, isResult);
    const { type: _type, ...measured } = result;
    return { case: 'cpu', talkersHeard: options.talkers, sending: true, windowS: options.windowMs / 1000, ...measured };
  } finally {
    await reap(child, 5_000);
    await rig.close();
    await compiled.dispose();
  }
}
