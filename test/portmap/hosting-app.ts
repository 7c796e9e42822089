/**
 * The desktop app's controller as a child process, for running it inside a
 * network namespace (`ip netns exec … node --import tsx test/portmap/hosting-app.ts DIR`):
 * the real controller, the real embedded relay on all addresses, the real home
 * router lookup and port mapping, WAV files for devices (Electron's part is not here).
 * It reads one command a line on stdin and writes JSON lines on stdout: every
 * snapshot's hosting view and peers, and each command's result. Its microphone
 * says the speech fixture over and over.
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { AppController } from '../../electron/app/controller.js';
import { SettingsStore } from '../../electron/app/settings-store.js';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { WavBackend } from '../support/wav-backend.js';
import { QUIET_PORTS } from '../support/quiet-ports.js';

export type HostingAppCommand = { do: 'host'; port: number; room: string; mapPort?: boolean } | { do: 'leave' } | { do: 'quit' };

const dir = process.argv[2];
if (!dir) throw new Error('usage: hosting-app.ts DIR');

// The host's microphone says the speech over and over, so a friend who joins at any time hears it whole.
const audio = new WavBackend(dir, { speech: SPEECH_WAV }, true);
const controller = await AppController.create({
  store: new SettingsStore(join(dir, 'settings.json')),
  audio,
  platform: 'linux',
  ports: QUIET_PORTS,
});
const say = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
controller.onSnapshot((snapshot) => say({ hosting: snapshot.room?.hosting ?? null, peers: snapshot.room?.peers.map((p) => p.name) ?? [] }));

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as HostingAppCommand;
  switch (command.do) {
    case 'host':
      // Processing off: the echo canceller's band filters shift the phase, which a waveform comparison reads as damage.
      // (Set before the call: changing it later restarts the microphone, and the speech with it.)
      // Continuous: a voice gate that starts on speech, with no noise floor learnt yet, may close inside it.
      await controller.updateSettings({ echoCancellation: false, noiseSuppression: 'off', autoGain: false, activation: 'continuous', inputDevice: 'speech', mapPort: command.mapPort ?? true });
      say({ done: 'host', result: await controller.host({ name: 'Ana', room: command.room, port: command.port }) });
      break;
    case 'leave':
      await controller.leave();
      say({ done: 'leave', recordings: audio.recordings });
      break;
    case 'quit':
      await controller.shutdown();
      say({ done: 'quit' });
      process.exit(0);
  }
}
