import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/shared/clock.js';
import { BLOCK_SAMPLES } from '../../../../electron/engine/audio-format.js';
import type { CaptureProcessingSettings } from '../../../../electron/engine/send/processing/capture-processor.js';
import { loadCaptureProcessing, type CaptureProcessing } from '../../../../electron/engine/send/processing/load.js';
import { SendPipeline } from '../../../../electron/engine/send/send-pipeline.js';
import { brownNoise } from '../../../support/noise-signals.js';
import { echoOf, erleDb, roomResponse } from './echo-scenario.js';
import { drive } from '../drive.js';
import { loadSpeech } from '../helpers.js';
import { blocksOf, concatSamples, repeated, silence } from '../../../support/signals.js';

const OFF: CaptureProcessingSettings = { echoCancellation: false, noiseSuppression: 'off', autoGain: false };
const FILE_OUTPUT = { acoustic: false };
const SPEAKER = { acoustic: true };

let processing: CaptureProcessing;
beforeAll(async () => {
  processing = await loadCaptureProcessing();
});

function pipelineWith(settings: Partial<CaptureProcessingSettings> | undefined) {
  const clock = new ManualClock(1_000);
  const processor = settings ? processing.create({ ...OFF, ...settings }, SPEAKER) : undefined;
  return { clock, pipeline: new SendPipeline({ frameMs: 20, bitrate: 24_000, activation: 'voice', red: 'off', clock, processor, ...settings }) };
}

describe('capture processing', () => {
  it('loads every stage here, and loading twice gives the same stages', async () => {
    expect(processing.unavailable).toEqual([]);
    expect(await loadCaptureProcessing()).toBe(processing);
  });

  it('with every stage off, leaves each block exactly as it came', () => {
    const processor = processing.create(OFF, SPEAKER);
    for (const block of blocksOf(loadSpeech()).slice(0, 300)) {
      const copy = block.slice();
      processor.render(block.map((sample) => sample * 0.5));
      processor.process(copy);
      processor.detected(true);
      expect(copy).toEqual(block);
    }
    expect(processor.stats).toEqual({ erleDb: undefined, delayMs: undefined, suppressing: false, autoGainDb: 0 });
    processor.close();
  });

  it('changes settings live, refuses a bad one naming it, and reports what it applies', () => {
    const processor = processing.create(OFF, SPEAKER);
    processor.reconfigure({ noiseSuppression: 'low', autoGain: true });
    expect(processor.settings).toEqual({ echoCancellation: false, noiseSuppression: 'low', autoGain: true });
    expect(() => processor.reconfigure({ noiseSuppression: 'max' as never })).toThrow(/noiseSuppression max is not one of off, low, high/);
    expect(() => processor.reconfigure({ echoCancellation: 'yes' as never })).toThrow(/echoCancellation must be true or false/);
    expect(processor.settings).toEqual({ echoCancellation: false, noiseSuppression: 'low', autoGain: true });
    processor.close();
  });

  it('cancels at once when switched on after running off: the far end it was handed meanwhile is not held as a stale queue', () => {
    const far = repeated(loadSpeech(), 2);
    const mic = echoOf(far, roomResponse(), 80);
    const processor = processing.create(OFF, SPEAKER);
    const out = new Float32Array(mic.length);
    const farBlocks = blocksOf(far);
    blocksOf(mic).forEach((block, index) => {
      if (index === 300) processor.reconfigure({ echoCancellation: true });
      processor.render(farBlocks[index]!);
      const copy = block.slice();
      processor.process(copy);
      out.set(copy, index * BLOCK_SAMPLES);
    });
    // Switched on at 3 s: from 2 s later on, the echo is down 25 dB or more, as for a canceller on from the start.
    expect(erleDb(mic, out, 5, far.length / 48_000)).toBeGreaterThanOrEqual(25);
    processor.close();
  });

  it('passes audio through an echo canceller for an output that cannot echo (a file), far end or not', () => {
    const processor = processing.create({ ...OFF, echoCancellation: true }, FILE_OUTPUT);
    for (const block of blocksOf(loadSpeech()).slice(0, 200)) {
      const copy = block.slice();
      processor.render(block);
      processor.process(copy);
      expect(copy).toEqual(block);
    }
    expect(processor.stats.erleDb).toBeUndefined();
    processor.close();
  });
});

describe('the send path with capture processing', () => {
  /** A fan: brown noise at −40 dBFS, the level that opened voice activation without suppression. */
  const fan = (seconds: number): Float32Array => brownNoise(seconds * 48_000, -40, 11);

  it('sends a steady fan without suppression, and nothing of it with suppression on high', () => {
    const without = pipelineWith(undefined);
    const suppressed = pipelineWith({ noiseSuppression: 'high' });
    const input = concatSamples([silence(0.5), fan(6)]);
    expect(drive(without.pipeline, input, without.clock).packets.length).toBeGreaterThan(0);
    expect(drive(suppressed.pipeline, input, suppressed.clock).packets).toEqual([]);
  });

  it('still sends speech with every stage on, and the same packets as no processor at all when every stage is off', () => {
    const speech = concatSamples([silence(0.5), loadSpeech()]);
    const on = pipelineWith({ echoCancellation: true, noiseSuppression: 'high', autoGain: true });
    const spoken = drive(on.pipeline, speech, on.clock);
    expect(spoken.packets.length).toBeGreaterThan(100);
    expect(on.pipeline.processing).toMatchObject({ suppressing: expect.any(Boolean), autoGainDb: expect.any(Number) });

    const bare = pipelineWith(undefined);
    const off = pipelineWith(OFF);
    const strip = (packets: { payload: Uint8Array; block: number }[]) => packets.map(({ payload, block }) => ({ payload: [...payload], block }));
    // Same RTP start for both: compare what was encoded and when.
    expect(strip(drive(off.pipeline, speech, off.clock).packets)).toEqual(strip(drive(bare.pipeline, speech, bare.clock).packets));
  });

  it('hands the processed block out after each push, what the mic test plays back', () => {
    const { pipeline, clock } = pipelineWith({ autoGain: false });
    const block = new Float32Array(BLOCK_SAMPLES).fill(0.25);
    clock.advance(10);
    pipeline.push(block);
    expect(pipeline.processedBlock).toHaveLength(BLOCK_SAMPLES);
    expect(pipeline.processedBlock).not.toBe(block);
  });
});
