import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { meanSquare, powerToDb } from '../../electron/engine/dsp/decibels.js';
import { bestAlignment, readWavAt48k, readWavMono } from '../audio/helpers/signal.js';
import { playInto, speak, virtualAudioSkipReason } from '../audio/helpers/virtual-audio.js';
import type { ParleyProcess } from '../cli/run-parley.js';
import { SPEECH_WAV } from '../engine/send/helpers.js';
import { activeLevelBySegmentsDb } from '../support/signals.js';
import { joinOnDevices, joinOnFiles, killAll, recognisability, sleep, transcript, useCallRig } from './helpers/device-call.js';

const run = promisify(execFile);
const RATE = 48_000;
const seconds = (s: number): number => Math.round(s * RATE);

/** Where Ana speaks, in seconds after Ben joined: once while Ben talks (double talk), once after he has finished. */
const ANA_DOUBLE_TALK_S = 5.8;
const ANA_ALONE_S = 10.5;
/** Ben's input: the speech, its first 3.7 s again (so he is still talking when Ana is), then 5 s of silence. */
const BEN_TALKS_S = 6.18 + 3.7;
const BEN_STAYS_S = 15.5;
/** How much later than the speaker the room's echo reaches the microphone, beyond the devices' own latency. */
const ROOM_DELAY_MS = 80;

interface Call {
  heard: Float32Array;
  ana: ParleyProcess;
  ben: ParleyProcess;
}

/**
 * Ana on devices in a room with an echo: what her speaker plays, a loopback
 * plays into her microphone, quieter and later, as a room would. Ben on WAV
 * files, so what he hears is exactly what Ana sends: his own voice come back,
 * unless her echo canceller removes it, and her voice.
 */
describe.skipIf(virtualAudioSkipReason !== undefined)("the echo canceller on real devices: Ben's voice comes back from Ana's room", () => {
  const rig = useCallRig();

  it('with the canceller on, the echo Ben hears falls by 25 dB and Ana still comes through, alone and talking over him', async ({ onTestFailed }) => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-echo-'));
    const benSays = join(dir, 'ben-says.wav');
    await run('sox', [SPEECH_WAV, SPEECH_WAV, '-b', '16', benSays, 'trim', '0', String(BEN_TALKS_S), 'pad', '0', '5']);
    const anaSays = join(dir, 'ana-says.wav');
    await speak('Ana answers from her own room, over the voice she hears.', anaSays, 'en+f3');
    const anaClean = await readWavAt48k(anaSays);

    const clients: Record<string, ParleyProcess> = {};
    onTestFailed(() => console.error(transcript(clients)));
    try {
      await rig.devices.nullSink('ana_spk');
      await rig.devices.nullSink('ana_mic');
      const loopback = await rig.devices.load('module-loopback', 'source=ana_spk.monitor', 'sink=ana_mic', `latency_msec=${ROOM_DELAY_MS}`);
      // The room gives back its sound some 13 dB down (60 % on PulseAudio's cubic volume scale).
      await rig.devices.pactl('set-sink-input-volume', sinkInputOf(await rig.devices.pactl('list', 'sink-inputs'), loopback), '60%');

      const converse = async (canceller: 'off' | 'on'): Promise<Call> => {
        const room = `echo-${canceller}`;
        const heardPath = join(dir, `ben-hears-${canceller}.wav`);
        const ana = await joinOnDevices(rig.devices, rig.port, room, 'Ana', { microphone: 'ana_mic.monitor', speaker: 'ana_spk' }, [
          ...['--echo-cancellation', canceller, '--noise-suppression', 'off', '--auto-gain', 'off', '--activation', 'continuous'],
        ]);
        clients[`Ana (canceller ${canceller})`] = ana;
        // Devices under PulseAudio deliver their first audio about a second after they open.
        await sleep(2_500);
        const ben = await joinOnFiles(rig.port, room, 'Ben', { input: benSays, output: heardPath }, BEN_STAYS_S, ['--noise-suppression', 'off', '--auto-gain', 'off']);
        clients[`Ben (Ana's canceller ${canceller})`] = ben;
        const joined = Date.now();
        await sleep(ANA_DOUBLE_TALK_S * 1000);
        await playInto('ana_mic', anaSays);
        await sleep(Math.max(0, joined + ANA_ALONE_S * 1000 - Date.now()));
        await playInto('ana_mic', anaSays);
        expect(await ben.exited()).toBe(0);
        ana.child.kill('SIGINT');
        expect(await ana.exited()).toBe(0);
        return { heard: readWavMono(heardPath).samples, ana, ben };
      };
      const off = await converse('off');
      const on = await converse('on');

      // Where Ana's two sentences arrived, found in each recording: between them and Ben's start lies his echo alone.
      const anaIn = (heard: Float32Array, fromS: number, toS: number): number =>
        seconds(fromS) + bestAlignment(heard.subarray(seconds(fromS), seconds(toS)), anaClean).lag;
      const measure = (call: Call) => {
        const doubleTalk = anaIn(call.heard, ANA_DOUBLE_TALK_S - 0.5, ANA_ALONE_S - 0.3);
        const alone = anaIn(call.heard, ANA_ALONE_S - 0.3, BEN_STAYS_S);
        const sentence = (at: number) => ({
          levelDb: activeLevelBySegmentsDb(call.heard.subarray(at, at + anaClean.length)),
          recognised: recognisability(call.heard, anaClean, at),
        });
        return {
          // The measure's floor: Ben's echo, where Ana is silent, scored as if it were her sentence.
          echoAsAna: recognisability(call.heard, anaClean, seconds(2)),
          echoDb: powerToDb(meanSquare(call.heard.subarray(seconds(2), doubleTalk - seconds(0.1)))),
          doubleTalk: { at: doubleTalk / RATE, ...sentence(doubleTalk) },
          alone: { at: alone / RATE, ...sentence(alone) },
        };
      };
      const without = measure(off);
      const withCanceller = measure(on);
      console.log(`echo devices: canceller off ${JSON.stringify(without)}\necho devices: canceller on  ${JSON.stringify(withCanceller)}`);

      // The echo is there to cancel: Ben's voice comes back loud.
      expect(without.echoDb).toBeGreaterThan(-40);
      // ... and does not read as Ana (unrelated speech scores 0.2–0.35), so "recognised" below means her sentence.
      expect(without.echoAsAna).toBeLessThan(0.5);
      expect(without.echoDb - withCanceller.echoDb).toBeGreaterThanOrEqual(25);
      // Ana alone is as loud as without the canceller, and as recognisable.
      expect(Math.abs(withCanceller.alone.levelDb - without.alone.levelDb)).toBeLessThanOrEqual(3);
      expect(withCanceller.alone.recognised).toBeGreaterThan(0.8);
      expect(withCanceller.alone.recognised).toBeGreaterThan(without.alone.recognised - 0.05);
      // Talking over Ben, she is too. (Without the canceller her sentence then arrives mixed with his echo, so her
      // level and measure alone are the yardstick.)
      expect(Math.abs(withCanceller.doubleTalk.levelDb - without.alone.levelDb)).toBeLessThanOrEqual(3);
      expect(withCanceller.doubleTalk.recognised).toBeGreaterThan(0.8);
    } finally {
      killAll(clients);
      await rig.devices.unloadAll();
    }
  }, 90_000);
});

/** The sink input that module `module` owns, from `pactl list sink-inputs`. */
function sinkInputOf(listing: string, module: string): string {
  for (const block of listing.split(/\n(?=Sink Input #)/)) {
    const id = /^Sink Input #(\d+)/.exec(block)?.[1];
    if (id && new RegExp(`Owner Module: ${module}\\b`).test(block)) return id;
  }
  throw new Error(`no sink input of module ${module} in:\n${listing}`);
}
