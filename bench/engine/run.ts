/**
 * `npm run bench:engine`: the voice engine end to end, through the real relay
 * on loopback, one JSON line per case on stdout (progress on stderr):
 *   latency   marker to marker at the engine's edges, 20 and 10 ms frames
 *   cpu       one client hearing four talkers and sending, in its own process
 *   bitrate   uplink while talking and while silent
 *   quality   speech through the impairment proxy, RED on and off
 *   aec       the echo canceller on a synthetic room: ERLE, convergence, cost per 10 ms frame
 *   ns        the noise suppressor: quality gain per noise, clean-speech damage, cost per block
 *   agc       automatic gain: speech level spread before and after, cost per frame
 *   mouth-to-ear  chirps through real (virtual PulseAudio) devices on both ends and two `parley join`
 *             processes, processing off and at the defaults; needs `npm run build:node` and PulseAudio
 *             (skipped, saying why on stderr, without PulseAudio's tools)
 * Options: --quick (a few seconds per case, one variant of each: checks the
 * harness, not the engine), --only latency|cpu|bitrate|quality|aec|ns|agc|mouth-to-ear
 * (repeatable), --cpu-prof FILE (a V8 profile of the cpu case's client over
 * its window).
 * See docs/benchmarks.md.
 */
import { parseArgs } from 'node:util';
import { aecCase } from './aec-case.js';
import { agcCase } from './agc-case.js';
import { bitrateCase, QUIET_ROOM } from './bitrate-case.js';
import { cpuCase } from './cpu-case.js';
import { cpuFloorCase } from './cpu-floor-case.js';
import { latencyCase } from './latency-case.js';
import { mouthToEarCase } from './mouth-to-ear-case.js';
import { virtualAudioSkipReason } from '../../test/audio/helpers/virtual-audio.js';
import { nsCase } from './ns-case.js';
import { CONDITIONS, qualityCase } from './quality-case.js';

const CASES = ['latency', 'cpu', 'bitrate', 'quality', 'aec', 'ns', 'agc', 'mouth-to-ear'] as const;
type CaseName = (typeof CASES)[number];

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true }, 'cpu-prof': { type: 'string' } } });
const quick = values.quick;
const only = new Set((values.only ?? CASES) as CaseName[]);
for (const name of only) if (!CASES.includes(name)) throw new Error(`unknown case ${name}; cases: ${CASES.join(', ')}`);

const print = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));
const progress = (what: string): void => void process.stderr.write(`bench:engine ${what}\n`);

if (only.has('latency')) {
  for (const frameMs of quick ? ([20] as const) : ([20, 10] as const)) {
    progress(`latency at ${frameMs} ms frames`);
    print(await latencyCase(frameMs, quick ? { sessions: 1, secondsEach: 2 } : { sessions: 4, secondsEach: 5 }));
  }
}
if (only.has('cpu')) {
  progress('cpu: four talkers heard, one sent');
  const window = quick ? { warmupMs: 500, windowMs: 2_000 } : { warmupMs: 10_000, windowMs: 20_000 };
  print(await cpuCase({ talkers: 4, ...window, profilePath: values['cpu-prof'] }));
  progress('cpu floor: the same wake-ups without the engine');
  print(await cpuFloorCase({ talkers: 4, ...window }));
}
if (only.has('bitrate')) {
  const silentSeconds = quick ? 2 : 6;
  const variants: Parameters<typeof bitrateCase>[] = [
    ['talking', { frameMs: 20, activation: 'voice', silentSeconds }],
    ['silent', { frameMs: 20, activation: 'voice', silentSeconds, noiseAmplitude: QUIET_ROOM }],
    ['silent', { frameMs: 20, activation: 'continuous', silentSeconds, noiseAmplitude: 0 }],
    ['silent', { frameMs: 20, activation: 'continuous', silentSeconds, noiseAmplitude: QUIET_ROOM }],
  ];
  progress('bitrate');
  // Quick: talking, and silence sent continuously (the variant that sends the most silent packets).
  for (const variant of quick ? [variants[0]!, variants[3]!] : variants) print(await bitrateCase(...variant));
}
if (only.has('quality')) {
  for (const condition of quick ? CONDITIONS.slice(2, 3) : CONDITIONS) {
    progress(`quality at ${JSON.stringify(condition)}`);
    for (const line of await qualityCase(condition, { seed: 7, repeats: quick ? 1 : 2 })) print(line);
  }
}
if (only.has('aec')) {
  for (const delayMs of quick ? [80] : [80, 250]) {
    progress(`aec: echo ${delayMs} ms late`);
    print(await aecCase({ delayMs, repeats: quick ? 2 : 3 }));
  }
  if (!quick) {
    progress('aec: capture clock 100 ppm fast, one minute');
    print(await aecCase({ delayMs: 80, repeats: 10, captureDriftPpm: 100 }));
  }
}
if (only.has('ns')) {
  progress('ns: speech in white, babble and fan noise, and clean');
  for (const line of await nsCase({ repeats: quick ? 2 : 3 })) print(line);
}
if (only.has('agc')) {
  progress('agc: speech at four levels');
  print(agcCase(quick ? { passes: 2, costRepeats: 1 } : { passes: 4, costRepeats: 5 }));
}
if (only.has('mouth-to-ear') && virtualAudioSkipReason !== undefined) progress(`mouth-to-ear skipped: ${virtualAudioSkipReason}`);
else if (only.has('mouth-to-ear')) {
  for (const processing of quick ? [false] : [false, true]) {
    progress(`mouth-to-ear through devices, processing ${processing ? 'at the defaults' : 'off'}`);
    print(await mouthToEarCase({ seconds: quick ? 5 : 60, processing }));
  }
}
