import { listAudioDevices } from '../electron/audio/index.js';

/** `parley devices`: what can be passed to `--input` and `--output`. */
export function runDevicesCommand(options: { json?: boolean }): void {
  const inputs = listAudioDevices('input');
  const outputs = listAudioDevices('output');
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ inputs, outputs })}\n`);
    return;
  }
  const lines: string[] = [];
  for (const [title, devices] of [
    ['Inputs (--input)', inputs],
    ['Outputs (--output)', outputs],
  ] as const) {
    lines.push(`${title}:`);
    if (devices.length === 0) lines.push('  (none)');
    for (const device of devices) {
      lines.push(`  ${device.isDefault ? '*' : ' '} ${device.name}  [${device.hostApi}, ${device.channels} ch, ${device.defaultSampleRate} Hz]`);
    }
  }
  lines.push('* = system default. Use "default", a device name, or a .wav file.');
  process.stdout.write(`${lines.join('\n')}\n`);
}
