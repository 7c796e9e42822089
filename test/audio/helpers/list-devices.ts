// Run as a child process by the device tests: prints the device lists as JSON,
// so the test can also check that listing wrote nothing to stderr.
import { listAudioDevices } from '../../../electron/audio/device-list.js';

process.stdout.write(JSON.stringify({ input: listAudioDevices('input'), output: listAudioDevices('output') }));
