import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_SAMPLES, SAMPLE_RATE } from '../../../../electron/engine/audio-format.js';
import type { EchoCanceller } from '../../../../electron/engine/send/processing/capture-stage.js';
import { type EchoCancellerFactory, loadEchoCanceller, passThroughEchoCanceller } from '../../../../electron/engine/send/processing/echo/index.js';
import { RenderQueue } from '../../../../electron/engine/send/processing/echo/render-queue.js';
import { speechFixture } from '../../receive/support/signals.js';
import { loadSpeech } from '../helpers.js';
import { mix } from '../../../support/signals.js';
import { noise } from '../../../support/noise-signals.js';
import { cancel, convergenceSeconds, echoOf, erleDb, erleWindows, levelKeptDb, placed, roomResponse } from './echo-scenario.js';

/** The fixture's first sentence starts 0.4 s in; its two sentences end by 5.4 s of 6.18. */
const FAR_ONSET_S = 0.4;
const far = loadSpeech();
const FAR_S = far.length / SAMPLE_RATE;
const near = speechFixture();
const room = roomResponse();

let createCanceller: EchoCancellerFactory;
beforeAll(async () => {
  createCanceller = await loadEchoCanceller();
});

function twice(signal: Float32Array): Float32Array {
  return mix(placed(signal, 0, 2 * FAR_S), placed(signal, FAR_S, 2 * FAR_S));
}

function withCanceller<T>(use: (canceller: EchoCanceller) => T): T {
  const canceller = createCanceller();
  try {
    return use(canceller);
  } finally {
    canceller.close();
  }
}

describe('echo canceller (WebRTC audio processing)', () => {
  for (const delayMs of [80, 250]) {
    it(`takes an echo ${delayMs} ms late down by at least 25 dB within 2 s of the far end starting to talk, and finds its delay`, () => {
      const reference = twice(far);
      const echo = echoOf(reference, room, delayMs);
      const { out, stats } = withCanceller((canceller) => ({ out: cancel(canceller, reference, echo), stats: canceller.stats }));
      const windows = erleWindows(echo, out, FAR_ONSET_S + 2, 2 * FAR_S);
      expect(windows.length).toBeGreaterThan(50);
      expect(Math.min(...windows.map((w) => w.erleDb))).toBeGreaterThanOrEqual(25);
      expect(erleDb(echo, out, FAR_ONSET_S, 2 * FAR_S)).toBeGreaterThanOrEqual(40);
      expect(stats.erleDb).toBeGreaterThanOrEqual(25);
      expect(stats.delayMs).toBeGreaterThanOrEqual(delayMs - 10);
      expect(stats.delayMs).toBeLessThanOrEqual(delayMs + 10);
    });
  }

  it('gives the same output for the same input', () => {
    const reference = placed(far, 0, 3);
    const mic = mix(echoOf(reference, room, 80), placed(near, 1.2, 3));
    const first = withCanceller((canceller) => cancel(canceller, reference, mic));
    const second = withCanceller((canceller) => cancel(canceller, reference, mic));
    expect(second).toEqual(first);
  });

  it('leaves the near end alone within 1 dB once the far end has gone quiet', () => {
    const at = FAR_S + 0.5;
    const seconds = at + near.length / SAMPLE_RATE + 0.5;
    const reference = placed(far, 0, seconds);
    const mic = mix(echoOf(reference, room, 80), placed(near, at, seconds));
    const out = withCanceller((canceller) => cancel(canceller, reference, mic));
    expect(Math.abs(levelKeptDb(out, near, at))).toBeLessThanOrEqual(1);
  });

  it('keeps the near end within 3 dB while both talk', () => {
    // The near end talks over the far end's second sentence, the second time round, 5 dB above the echo.
    const at = FAR_S + 3;
    const reference = twice(far).map((x) => x / 2);
    const echo = echoOf(reference, room, 250);
    const out = withCanceller((canceller) => cancel(canceller, reference, mix(echo, placed(near, at, 2 * FAR_S))));
    expect(Math.abs(levelKeptDb(out, near, at))).toBeLessThanOrEqual(3);
  });

  it('passes the microphone through within 0.5 dB when there is no far end', () => {
    const mic = placed(near, 0.5, 3);
    const { out, stats } = withCanceller((canceller) => ({ out: cancel(canceller, undefined, mic), stats: canceller.stats }));
    expect(Math.abs(levelKeptDb(out, near, 0.5))).toBeLessThanOrEqual(0.5);
    expect(stats).toEqual({ erleDb: undefined, delayMs: undefined });
  });

  /** The far end twice, its echo path jumping from 80 to 250 ms between the two (an output device change). */
  function jumpingPath(): { reference: Float32Array; echo: Float32Array; jumpBlock: number; talkingAgain: number } {
    const reference = twice(far);
    const jumpBlock = Math.round(FAR_S * 100);
    const before = echoOf(reference, room, 80);
    const after = echoOf(reference, room, 250);
    const echo = Float32Array.from(before, (x, i) => (i < jumpBlock * BLOCK_SAMPLES ? x : after[i]!));
    return { reference, echo, jumpBlock, talkingAgain: FAR_S + FAR_ONSET_S };
  }

  it('reconverges within 2 s of the far end talking again when the echo path jumps with a device change', () => {
    const { reference, echo, jumpBlock, talkingAgain } = jumpingPath();
    const { out, stats } = withCanceller((canceller) => {
      canceller.setDeviceDelayMs(80);
      const sent = cancel(canceller, reference, echo, { beforeBlock: (index) => index === jumpBlock && canceller.setDeviceDelayMs(250) });
      return { out: sent, stats: canceller.stats };
    });
    expect(Math.min(...erleWindows(echo, out, talkingAgain + 2, 2 * FAR_S).map((w) => w.erleDb))).toBeGreaterThanOrEqual(25);
    expect(convergenceSeconds(echo, out, talkingAgain, 2 * FAR_S, 25)).toBeLessThanOrEqual(0.5);
    expect(stats.delayMs).toBeGreaterThanOrEqual(240);
    expect(stats.delayMs).toBeLessThanOrEqual(260);
  });

  it('reconverges by itself, more slowly, when the echo path jumps with no device change reported', () => {
    const { reference, echo, talkingAgain } = jumpingPath();
    const out = withCanceller((canceller) => cancel(canceller, reference, echo));
    const seconds = convergenceSeconds(echo, out, talkingAgain, 2 * FAR_S, 25);
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThanOrEqual(4);
  });

  it('cancels as well when the far end arrives in bursts of four blocks', () => {
    const reference = twice(far);
    const echo = echoOf(reference, room, 80);
    const blockOf = (index: number): Float32Array => reference.subarray(index * BLOCK_SAMPLES, (index + 1) * BLOCK_SAMPLES);
    const out = withCanceller((canceller) =>
      cancel(canceller, reference, echo, {
        renderBefore: (index) => {
          if (index % 4 === 0) for (let k = index; k < index + 4; k++) canceller.render(blockOf(k));
        },
      }),
    );
    expect(Math.min(...erleWindows(echo, out, FAR_ONSET_S + 2, 2 * FAR_S).map((w) => w.erleDb))).toBeGreaterThanOrEqual(25);
  });

  it('is safe to close twice, and says so when used after', () => {
    const canceller = createCanceller();
    canceller.close();
    expect(() => canceller.close()).not.toThrow();
    const block = new Float32Array(BLOCK_SAMPLES);
    expect(() => canceller.process(block, block)).toThrow(/after close/);
    expect(() => canceller.setDeviceDelayMs(200)).toThrow(/after close/);
  });

  it('rejects blocks of the wrong size and impossible device delays', () => {
    withCanceller((canceller) => {
      expect(() => canceller.render(new Float32Array(479))).toThrow(/479 samples/);
      expect(() => canceller.process(new Float32Array(960), new Float32Array(960))).toThrow(/960 samples/);
      expect(() => canceller.setDeviceDelayMs(Number.NaN)).toThrow(RangeError);
      expect(() => canceller.setDeviceDelayMs(-1)).toThrow(RangeError);
    });
  });
});

describe('pass-through echo canceller (an output with no acoustic path)', () => {
  it('hands the capture on bit for bit, whatever the far end does, and reports no echo', () => {
    const canceller = passThroughEchoCanceller();
    canceller.setDeviceDelayMs(120);
    const mic = noise(1, 0.5, 9);
    const out = cancel(canceller, far, mic);
    expect(out).toEqual(mic);
    const block = mic.slice(0, BLOCK_SAMPLES);
    const separate = new Float32Array(BLOCK_SAMPLES);
    canceller.process(block, separate);
    expect(separate).toEqual(block);
    expect(canceller.stats).toEqual({ erleDb: undefined, delayMs: undefined });
    canceller.close();
    canceller.close();
  });
});

describe('render queue', () => {
  const block = (value: number): Float32Array => new Float32Array(BLOCK_SAMPLES).fill(value);

  it('hands blocks out one per capture block, in order, and nothing when none came', () => {
    const queue = new RenderQueue();
    for (const value of [1, 2, 3]) queue.push(block(value));
    expect([queue.next()?.[0], queue.next()?.[0], queue.next()?.[0], queue.next()]).toEqual([1, 2, 3, undefined]);
  });

  it('drops one block when the queue stood two deep or more for a whole second, and keeps burst jitter', () => {
    const queue = new RenderQueue();
    let value = 0;
    // Bursts of four every four ticks: the depth falls to 0 each cycle, so nothing is dropped.
    for (let tick = 0; tick < 400; tick++) {
      if (tick % 4 === 0) for (let k = 0; k < 4; k++) queue.push(block(value++));
      queue.next();
    }
    expect(queue.dropped).toBe(0);
    // Two blocks ahead, paced one for one: a standing excess, trimmed a block a second until none waits.
    queue.push(block(value++));
    queue.push(block(value++));
    const dropTicks: number[] = [];
    for (let tick = 0; tick < 400; tick++) {
      queue.push(block(value++));
      const before = queue.dropped;
      queue.next();
      if (queue.dropped > before) dropTicks.push(tick);
    }
    expect(dropTicks).toEqual([100, 200]);
    expect(queue.size).toBe(0);
  });

  it('forgets the oldest block when full', () => {
    const queue = new RenderQueue();
    for (let value = 0; value < 40; value++) queue.push(block(value));
    expect(queue.dropped).toBe(8);
    expect(queue.next()?.[0]).toBe(8);
  });
});
