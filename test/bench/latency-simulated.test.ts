import { describe, expect, it } from 'vitest';
import { TimedInput, TimedOutput } from '../../bench/engine/edge-taps.js';
import { markedSignal, markerLatencies } from '../../bench/engine/marker-latency.js';
import { BLOCK_MS, BLOCK_SAMPLES, SAMPLES_PER_MS } from '../../electron/engine/audio-format.js';
import { DEFAULT_SEND_SETTINGS } from '../../electron/engine/send/send-pipeline.js';
import { SimulatedCall } from '../support/simulated-call.js';
import { concatSamples } from '../support/signals.js';

/** Block n at 10 n ms: where a plain decoder's output puts each marker, taken as the edges' own times. */
const blockTimes = (samples: number): number[] => Array.from({ length: Math.ceil(samples / BLOCK_SAMPLES) }, (_, n) => n * BLOCK_MS);

/**
 * The latency case's measurement, with its edge taps on the simulated call's
 * clock instead of performance.now(): every marker is found, and each one's
 * latency is exactly the engine's delay (the voice client's own simulated test
 * proves it to the sample) plus where a plain Opus decoder puts that marker.
 * The real-time bench adds to this what its clocks' phases and the machine's timing do.
 */
describe('the engine bench’s latency, on a simulated clock and network', () => {
  it.each([
    { frameMs: 20, networkMs: 0, engineMs: 671 / 48 },
    { frameMs: 10, networkMs: 0, engineMs: 191 / 48 },
    { frameMs: 20, networkMs: 30, engineMs: 30 + 671 / 48 },
  ] as const)('measures each marker to the sample at $frameMs ms frames and $networkMs ms of network', async ({ frameMs, networkMs, engineMs }) => {
    const { signal, marker, starts } = markedSignal(2);
    let input: TimedInput | undefined;
    let output: TimedOutput | undefined;
    const call = await SimulatedCall.start({
      voice: signal,
      networkMs,
      send: { ...DEFAULT_SEND_SETTINGS, activation: 'continuous', frameMs },
      tapInput: (device, clock) => (input = new TimedInput(device, clock)),
      tapOutput: (device, clock) => (output = new TimedOutput(device, clock)),
    });
    try {
      await call.run();
      expect(call.engineDelaySamples / SAMPLES_PER_MS).toBeCloseTo(engineMs, 9);
      const measured = markerLatencies({ inputTimes: input!.times, outputTimes: output!.times, heard: concatSamples(output!.blocks) }, marker, starts);
      const decoded = await call.plainDecoding();
      const codecMs = markerLatencies({ inputTimes: blockTimes(signal.length), outputTimes: blockTimes(decoded.length), heard: decoded }, marker, starts);
      expect(input!.times).toEqual(blockTimes(signal.length));
      expect(measured).toHaveLength(starts.length);
      expect(codecMs).toHaveLength(starts.length);
      measured.forEach((latency, i) => expect(latency).toBeCloseTo(engineMs + codecMs[i]!, 9));
    } finally {
      await call.close();
    }
  });
});
