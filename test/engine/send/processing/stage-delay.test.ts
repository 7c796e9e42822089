import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES, SAMPLE_RATE } from '../../../../electron/engine/audio-format.js';
import type { CaptureProcessingSettings } from '../../../../electron/engine/send/processing/capture-processor.js';
import { loadCaptureProcessing, type CaptureProcessing } from '../../../../electron/engine/send/processing/load.js';
import { RnnoiseDenoiser } from '../../../../electron/engine/send/processing/noise/rnnoise-denoiser.js';
import { SpeechAutoGain } from '../../../../electron/engine/send/processing/gain/speech-auto-gain.js';
import { bestAlignment } from '../../../audio/helpers/signal.js';
import { blocksOf } from '../../../support/signals.js';
import { loadSpeech } from '../helpers.js';

const OFF: CaptureProcessingSettings = { echoCancellation: false, noiseSuppression: 'off', autoGain: false };
/** Three seconds of speech; the delay is where its middle second turns up in what comes out. */
const speech = loadSpeech().slice(0, 3 * SAMPLE_RATE);
const probe = { from: SAMPLE_RATE, to: 2 * SAMPLE_RATE };

let processing: CaptureProcessing;
beforeAll(async () => {
  processing = await loadCaptureProcessing();
});

/** Samples by which the processor's output lags its input, a silent far end handed to it block by block as the playout would. */
function delayOf(settings: Partial<CaptureProcessingSettings>): { lag: number; ncc: number } {
  const processor = processing.create({ ...OFF, ...settings }, { acoustic: true });
  const out = new Float32Array(speech.length);
  blocksOf(speech).forEach((block, i) => {
    processor.render(new Float32Array(BLOCK_SAMPLES));
    const copy = block.slice();
    processor.process(copy);
    out.set(copy, i * BLOCK_SAMPLES);
  });
  processor.close();
  const { lag, ncc } = bestAlignment(out, speech.subarray(probe.from, probe.to));
  return { lag: lag - probe.from, ncc };
}

describe('what each capture stage delays the microphone by (mouth to ear pays it in full)', () => {
  it('the echo canceller: 430 samples (9 ms), WebRTC AEC3’s two 4 ms blocks at 16 kHz and its three-band filter bank', () => {
    const { lag, ncc } = delayOf({ echoCancellation: true });
    // An impulse comes out 430 samples late; the filter bank is not a whole-sample delay, so speech's best lag is 429–430.
    expect(Math.abs(lag - 430)).toBeLessThanOrEqual(1);
    expect(ncc).toBeGreaterThan(0.8);
  });

  it('the noise suppressor: one block (10 ms), RNNoise’s overlap-add, at either strength', () => {
    expect(RnnoiseDenoiser.LATENCY_SAMPLES).toBe(480);
    for (const strength of ['low', 'high'] as const) expect(delayOf({ noiseSuppression: strength }).lag).toBe(480);
  });

  it('the automatic gain: its limiter’s 1.5 ms look-ahead', () => {
    expect(new SpeechAutoGain({ enabled: true }).latencySamples).toBe(71);
    expect(delayOf({ autoGain: true }).lag).toBe(71);
  });

  it('all three: their sum, 981 samples (20.4 ms), and nothing when all are off', () => {
    expect(Math.abs(delayOf({ echoCancellation: true, noiseSuppression: 'high', autoGain: true }).lag - (430 + 480 + 71))).toBeLessThanOrEqual(2);
    expect(delayOf({}).lag).toBe(0);
  });
});
