import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterEach, describe, expect, it } from 'vitest';
import { AudioDeviceError } from '../../electron/audio/device-error.js';
import { WavFileSink } from '../../electron/audio/wav-sink.js';
import { WavFileSource } from '../../electron/audio/wav-source.js';
import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { sineSamples } from '../support/signals.js';
import { bestAlignment } from './helpers/signal.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-wav-'));
const path = (name: string) => join(dir, name);

function writeWav(file: string, channels: number, sampleRate: number, bitDepth: string, samples: number[] | number[][]): void {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels, sampleRate, bitDepth, samples);
  writeFileSync(file, wav.toBuffer());
}

function readInt16(file: string): { samples: Int16Array; sampleRate: number; channels: number; bitDepth: string } {
  const wav = new wavefile.WaveFile(readFileSync(file));
  const fmt = wav.fmt as { sampleRate: number; numChannels: number };
  return { samples: Int16Array.from(wav.getSamples(false, Float64Array) as unknown as Float64Array), sampleRate: fmt.sampleRate, channels: fmt.numChannels, bitDepth: wav.bitDepth };
}

/** Runs a source to its end, collecting every block. */
async function collect(source: WavFileSource): Promise<Float32Array[]> {
  const blocks: Float32Array[] = [];
  const ended = new Promise<void>((resolve) => source.on('end', resolve));
  await source.start((block) => blocks.push(block));
  await ended;
  return blocks;
}

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((endpoint) => endpoint.stop()));
});

describe('WAV source and sink', () => {
  it('round-trips 16-bit mono 48 kHz audio sample for sample when fast-paced', async () => {
    // Every extreme and a spread of values, in a length that is not a whole number of blocks.
    const original = Array.from({ length: 48_000 + 123 }, (_, i) => (i < 4 ? [32767, -32768, 0, -1][i]! : ((i * 7919) % 65536) - 32768));
    writeWav(path('in.wav'), 1, 48_000, '16', original);

    const source = new WavFileSource({ path: path('in.wav'), pacing: 'fast' });
    const blocks = await collect(source);
    expect(blocks).toHaveLength(Math.ceil(original.length / BLOCK_SAMPLES));

    const sink = new WavFileSink({ path: path('out.wav'), pacing: 'fast', maxDurationMs: blocks.length * 10 });
    let next = 0;
    const ended = new Promise<void>((resolve) => sink.on('end', resolve));
    await sink.start(() => blocks[next++]!);
    await ended;
    await sink.stop();

    const written = readInt16(path('out.wav'));
    expect(written).toMatchObject({ sampleRate: 48_000, channels: 1, bitDepth: '16' });
    expect(written.samples.length).toBe(blocks.length * BLOCK_SAMPLES);
    expect(Array.from(written.samples.subarray(0, original.length))).toEqual(original);
    // The last block was padded with silence.
    expect(written.samples.subarray(original.length).every((x) => x === 0)).toBe(true);
  });

  it('converts a 24-bit stereo 44.1 kHz file to mono 48 kHz', async () => {
    const left = Array.from(sineSamples(1000, 44_100, 44_100, 0.5), (x) => Math.round(x * 8_388_607));
    const right = left.map(() => 0);
    writeWav(path('stereo.wav'), 2, 44_100, '24', [left, right]);
    const blocks = await collect(new WavFileSource({ path: path('stereo.wav'), pacing: 'fast' }));
    expect(blocks).toHaveLength(100);
    const mono = new Float32Array(blocks.length * BLOCK_SAMPLES);
    blocks.forEach((block, i) => mono.set(block, i * BLOCK_SAMPLES));
    // Half amplitude (the silent right channel is averaged in), same 1 kHz tone.
    const expected = sineSamples(1000, 48_000, 48_000, 0.25);
    const { lag, ncc } = bestAlignment(mono, expected.subarray(2_400, 45_600));
    // A tone repeats every 48 samples, so only the phase is defined: no delay was added.
    expect(lag % 48).toBe(0);
    expect(ncc).toBeGreaterThan(0.9999);
    expect(Math.max(...mono.subarray(2_400, 45_600))).toBeCloseTo(0.25, 3);
  });

  it('reads 8-bit unsigned and 32-bit float files', async () => {
    writeWav(path('u8.wav'), 1, 48_000, '8', [128, 255, 0, 192]);
    writeWav(path('f32.wav'), 1, 48_000, '32f', [0.25, -0.75]);
    const [u8] = await collect(new WavFileSource({ path: path('u8.wav'), pacing: 'fast' }));
    const [f32] = await collect(new WavFileSource({ path: path('f32.wav'), pacing: 'fast' }));
    expect(Array.from(u8!.subarray(0, 5))).toEqual([0, 127 / 128, -1, 0.5, 0]);
    expect(Array.from(f32!.subarray(0, 3))).toEqual([0.25, -0.75, 0]);
  });

  it('adds the silence asked for before and after', async () => {
    writeWav(path('one.wav'), 1, 48_000, '16', new Array(480).fill(16384));
    const blocks = await collect(new WavFileSource({ path: path('one.wav'), pacing: 'fast', leadingSilenceMs: 20, trailingSilenceMs: 30 }));
    expect(blocks.map((block) => block[0])).toEqual([0, 0, 0.5, 0, 0, 0]);
    expect(blocks[2]!.every((x) => x === 0.5)).toBe(true);
  });

  it('loops until stopped', async () => {
    writeWav(path('two.wav'), 1, 48_000, '16', [...new Array(480).fill(8192), ...new Array(480).fill(-8192)]);
    const source = new WavFileSource({ path: path('two.wav'), pacing: 'fast', loop: true });
    running.push(source);
    const firsts: number[] = [];
    let ended = false;
    source.on('end', () => (ended = true));
    await new Promise<void>((resolve) => {
      void source.start((block) => {
        firsts.push(block[0]!);
        if (firsts.length === 7) resolve();
      });
    });
    await source.stop();
    expect(firsts.slice(0, 7)).toEqual([0.25, -0.25, 0.25, -0.25, 0.25, -0.25, 0.25]);
    expect(ended).toBe(false);
  });

  it('paces real-time blocks at 10 ms on average, without drift', async () => {
    writeWav(path('half.wav'), 1, 48_000, '16', new Array(48_000 / 2).fill(0));
    const times: number[] = [];
    const source = new WavFileSource({ path: path('half.wav'), pacing: 'realtime' });
    const ended = new Promise<void>((resolve) => source.on('end', resolve));
    await source.start(() => times.push(performance.now()));
    await ended;
    expect(times).toHaveLength(50);
    // A correctness bound, not a performance claim: the 49 gaps average 10 ms.
    const meanGap = (times.at(-1)! - times[0]!) / (times.length - 1);
    expect(meanGap).toBeGreaterThan(9.5);
    expect(meanGap).toBeLessThan(11);
  });

  it('pulls real-time blocks at 10 ms on average and stops itself at maxDurationMs', async () => {
    const times: number[] = [];
    const sink = new WavFileSink({ path: path('paced.wav'), pacing: 'realtime', maxDurationMs: 500 });
    const ended = new Promise<void>((resolve) => sink.on('end', resolve));
    await sink.start(() => {
      times.push(performance.now());
      return new Float32Array(BLOCK_SAMPLES);
    });
    await ended;
    await sink.stop();
    expect(times).toHaveLength(50);
    const meanGap = (times.at(-1)! - times[0]!) / (times.length - 1);
    expect(meanGap).toBeGreaterThan(9.5);
    expect(meanGap).toBeLessThan(11);
    expect(readInt16(path('paced.wav')).samples.length).toBe(50 * BLOCK_SAMPLES);
  });

  it('reports a missing file as notFound and a non-WAV file as formatUnsupported', async () => {
    const missing = new WavFileSource({ path: path('nope.wav') });
    await expect(missing.start(() => {})).rejects.toMatchObject({ name: 'AudioDeviceError', code: 'notFound' });
    writeFileSync(path('text.wav'), 'this is not audio');
    const garbage = new WavFileSource({ path: path('text.wav') });
    const error = await garbage.start(() => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioDeviceError);
    expect(error).toMatchObject({ code: 'formatUnsupported' });
    expect((error as Error).message).toMatch(/text\.wav" cannot be played: not a readable WAV file/);
  });

  it('finds a bad file or an unwritable path in prepare(), before start(); prepared endpoints then play and record as usual', async () => {
    writeFileSync(path('notes.wav'), 'this is not audio');
    await expect(new WavFileSource({ path: path('notes.wav') }).prepare()).rejects.toMatchObject({ name: 'AudioDeviceError', code: 'formatUnsupported' });
    await expect(new WavFileSink({ path: join(dir, 'no-such-dir', 'out.wav') }).prepare()).rejects.toMatchObject({ name: 'AudioDeviceError', code: 'notFound' });

    writeWav(path('five.wav'), 1, 48_000, '16', new Array(5 * BLOCK_SAMPLES).fill(1000));
    const source = new WavFileSource({ path: path('five.wav'), pacing: 'fast' });
    await source.prepare();
    const blocks = await collect(source);
    expect(blocks.map((block) => block[0])).toEqual(new Array(5).fill(1000 / 32768));
    const sink = new WavFileSink({ path: path('prepared.wav'), pacing: 'fast', maxDurationMs: 50 });
    await sink.prepare();
    // The file exists, with a valid empty header, from prepare() on.
    expect(readInt16(path('prepared.wav')).samples.length).toBe(0);
    const ended = new Promise<void>((resolve) => sink.on('end', resolve));
    await sink.start(() => blocks.shift()!);
    await ended;
    await sink.stop();
    expect(Array.from(readInt16(path('prepared.wav')).samples)).toEqual(new Array(5 * BLOCK_SAMPLES).fill(1000));
  });

  it('reports a sink path it cannot write as an AudioDeviceError', async () => {
    const sink = new WavFileSink({ path: join(dir, 'no-such-dir', 'out.wav') });
    await expect(sink.start(() => new Float32Array(BLOCK_SAMPLES))).rejects.toMatchObject({ code: 'notFound' });
  });

  it('reports a failing consumer without stopping the source', async () => {
    writeWav(path('three.wav'), 1, 48_000, '16', new Array(3 * 480).fill(0));
    const source = new WavFileSource({ path: path('three.wav'), pacing: 'fast' });
    const errors: AudioDeviceError[] = [];
    source.on('error', (error) => errors.push(error));
    let calls = 0;
    const ended = new Promise<void>((resolve) => source.on('end', resolve));
    await source.start(() => {
      calls++;
      throw new Error('consumer broke');
    });
    await ended;
    expect(calls).toBe(3);
    expect(errors.map((e) => e.code)).toEqual(['unknown', 'unknown', 'unknown']);
  });
});
