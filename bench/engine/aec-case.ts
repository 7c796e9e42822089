import { SAMPLE_RATE } from '../../electron/engine/audio-format.js';
import type { EchoCanceller } from '../../electron/engine/send/processing/capture-stage.js';
import { loadEchoCanceller } from '../../electron/engine/send/processing/echo/index.js';
import { speechFixture } from '../../test/engine/receive/support/signals.js';
import { loadSpeech } from '../../test/engine/send/helpers.js';
import { cancel, convergenceSeconds, echoOf, erleDb, erleWindows, levelKeptDb, placed, roomResponse } from '../../test/engine/send/processing/echo-scenario.js';
import { mix } from '../../test/support/signals.js';
import { quantile, round } from './stats.js';

/** The speech fixture's first sentence starts 0.4 s in. */
const FAR_ONSET_S = 0.4;
/** ERLE is measured from here on: after the 2 s the issue allows for converging. */
const SETTLED_S = FAR_ONSET_S + 2;

/** Wraps a canceller so each process() (with the render() before it) is timed. */
function timed(canceller: EchoCanceller, costs: number[]): EchoCanceller {
  let renderMs = 0;
  return {
    render(block) {
      const start = performance.now();
      canceller.render(block);
      renderMs += performance.now() - start;
    },
    process(input, output) {
      const start = performance.now();
      canceller.process(input, output);
      costs.push(renderMs + performance.now() - start);
      renderMs = 0;
    },
    setDeviceDelayMs: (ms) => canceller.setDeviceDelayMs(ms),
    get stats() {
      return canceller.stats;
    },
    close: () => canceller.close(),
  };
}

/**
 * The echo canceller on the synthetic room of its unit tests: the speech
 * fixture as far end, `repeats` times over, through a 60 % decaying echo path
 * `delayMs` late; the near end's own speech (a second fixture) talks over
 * the far end's last sentence, as loud as the echo. Reports ERLE after 2 s
 * (over all of it, over its last 5 s, and its worst 100 ms window), the time
 * until every later 100 ms window holds 25 dB (and 40 dB), the near end's
 * level kept in double talk, the canceller's own ERLE estimate and delay
 * just before the double talk, and the cost of one 10 ms frame (render plus
 * process).
 */
export async function aecCase(options: { delayMs: number; repeats: number; captureDriftPpm?: number }): Promise<Record<string, unknown>> {
  const createCanceller = await loadEchoCanceller();
  const far = loadSpeech();
  const farSeconds = far.length / SAMPLE_RATE;
  const seconds = options.repeats * farSeconds;
  const reference = mix(...Array.from({ length: options.repeats }, (_, k) => placed(far, k * farSeconds, seconds)));
  const echo = echoOf(reference, roomResponse(), options.delayMs, 1 + (options.captureDriftPpm ?? 0) * 1e-6);
  const near = speechFixture();
  const nearAt = seconds - farSeconds + 3;
  const singleTalkEnd = nearAt - 0.1;
  const costs: number[] = [];
  const canceller = timed(createCanceller(), costs);
  let stats = canceller.stats;
  const lastSingleTalkBlock = Math.floor(singleTalkEnd * 100);
  const out = cancel(canceller, reference, mix(echo, placed(near, nearAt, seconds)), {
    beforeBlock: (index) => {
      if (index === lastSingleTalkBlock) stats = canceller.stats;
    },
  });
  canceller.close();
  const converged = (targetDb: number): number | null => {
    const at = convergenceSeconds(echo, out, FAR_ONSET_S, singleTalkEnd, targetDb);
    return at === undefined ? null : Math.round(at * 1000);
  };
  const meanCost = costs.reduce((sum, cost) => sum + cost, 0) / costs.length;
  return {
    case: 'aec',
    delayMs: options.delayMs,
    ...(options.captureDriftPpm === undefined ? {} : { captureDriftPpm: options.captureDriftPpm }),
    seconds: round(seconds),
    erleDb: round(erleDb(echo, out, SETTLED_S, singleTalkEnd)),
    erleLastSecondsDb: round(erleDb(echo, out, singleTalkEnd - 5, singleTalkEnd)),
    worstWindowErleDb: round(Math.min(...erleWindows(echo, out, SETTLED_S, singleTalkEnd).map((window) => window.erleDb))),
    convergenceMs: converged(25),
    convergence40Ms: converged(40),
    doubleTalkNearKeptDb: round(levelKeptDb(out, near, nearAt), 2),
    estimatedErleDb: stats.erleDb === undefined ? null : round(stats.erleDb),
    estimatedDelayMs: stats.delayMs ?? null,
    costPerFrameMs: round(meanCost, 3),
    costP99Ms: round(quantile(costs, 0.99), 3),
  };
}
