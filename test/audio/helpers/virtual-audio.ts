import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CI_AUDIO_SCRIPT = fileURLToPath(new URL('../../../scripts/ci-audio.sh', import.meta.url));
const TOOLS = ['pulseaudio', 'pactl', 'paplay', 'parecord', 'espeak-ng'];

function missingTools(): string[] {
  return TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

/**
 * Why the device tests cannot run here, or undefined when they can. In CI
 * (CI set) they always run, so missing audio tools fail them instead.
 */
export const virtualAudioSkipReason: string | undefined = (() => {
  if (process.env.CI) return undefined;
  const missing = missingTools();
  if (missing.length === 0) return undefined;
  return `virtual audio devices unavailable: ${missing.join(', ')} not installed (apt-get install pulseaudio libasound2-plugins espeak-ng sox)`;
})();

if (virtualAudioSkipReason) console.warn(`Skipping the real-device audio tests: ${virtualAudioSkipReason}. With CI set they run, and fail.`);

/**
 * Starts (or reuses) the PulseAudio daemon of scripts/ci-audio.sh in
 * `stateDir` and points this process at it. Must run before naudiodon is
 * first used in the process: ALSA and PulseAudio read these variables once.
 * The default follows the script's: $PARLEY_AUDIO_DIR, else /tmp/parley-audio, so that
 * runs sharing a machine can each have a daemon whose speaker no other run plays into.
 */
export async function useVirtualAudio(stateDir = process.env.PARLEY_AUDIO_DIR ?? '/tmp/parley-audio'): Promise<Record<string, string>> {
  const { stdout } = await run(CI_AUDIO_SCRIPT, ['start'], { env: { ...process.env, PARLEY_AUDIO_DIR: stateDir } });
  const exported: Record<string, string> = {};
  for (const match of stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) exported[match[1]!] = match[2]!;
  if (!exported.XDG_RUNTIME_DIR || !exported.ALSA_CONFIG_PATH) throw new Error(`ci-audio.sh printed no environment: ${stdout}`);
  Object.assign(process.env, exported);
  return exported;
}

export async function stopVirtualAudio(stateDir: string): Promise<void> {
  await run(CI_AUDIO_SCRIPT, ['stop'], { env: { ...process.env, PARLEY_AUDIO_DIR: stateDir } });
}

/** Speaks `text` into a WAV file in espeak-ng's voice `voice` (e.g. "en+f3"; default its own). */
export async function speak(text: string, wavPath: string, voice?: string): Promise<void> {
  await run('espeak-ng', ['-w', wavPath, ...(voice ? ['-v', voice] : []), text]);
}

/** Plays a file into a PulseAudio sink and resolves when it has been played. */
export async function playInto(sink: string, wavPath: string): Promise<void> {
  await run('paplay', ['-d', sink, wavPath]);
}

export interface Recording {
  /** Ends the recording; resolves once parecord has closed the file. */
  stop(): Promise<void>;
}

/** Records a PulseAudio source (e.g. "spk.monitor") to a 16-bit 48 kHz WAV file, mono unless `channels` says otherwise. */
export async function recordFrom(source: string, wavPath: string, channels = 1): Promise<Recording> {
  const child: ChildProcess = spawn(
    'parecord',
    ['-d', source, '--file-format=wav', '--format=s16le', '--rate=48000', `--channels=${channels}`, '--latency-msec=100', wavPath],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  // parecord has no "ready" signal: wait until audio (not just the header) reaches the file,
  // so that nothing played from now on can be missed.
  const deadline = Date.now() + 5_000;
  while (fileSize(wavPath) < 4_096) {
    if (child.exitCode !== null) throw new Error(`parecord exited at once: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`parecord recorded nothing within 5 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
    },
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
