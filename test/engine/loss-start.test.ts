import { describe, expect, it } from 'vitest';
import { runLossyLink, type LossyLinkResult, type UnrecoveredCause } from '../support/lossy-link.js';
import { repeated } from '../support/signals.js';
import { loadSpeech } from './send/helpers.js';
import { LOSS_UNKNOWN } from '../../server/protocol/session-messages.js';

/** 18.6 s of speech (the fixture three times) in one continuous stream, as the quality runs send it. */
const speech = repeated(loadSpeech(), 3);

function causes(result: LossyLinkResult, fromMs = 0, toMs = Infinity): Partial<Record<UnrecoveredCause, number>> {
  const counts: Partial<Record<UnrecoveredCause, number>> = {};
  for (const frame of result.frames) {
    if (frame.cause && frame.sentMs >= fromMs && frame.sentMs < toMs) counts[frame.cause] = (counts[frame.cause] ?? 0) + 1;
  }
  return counts;
}

describe('the first seconds of a stream under 10 % random loss (real send and receive paths, simulated clock)', () => {
  it('with RED on auto, the frames of the first 2 s, before the first loss report, go unprotected', async () => {
    const result = await runLossyLink({ speech, lossPct: 10, seed: 1, jitterMs: 10, send: { red: 'auto' } });
    expect(result.redOnAtMs).toBe(2000);
    expect(causes(result, 0, 2000)).toEqual({ redOff: 7 });
    expect(causes(result, 2000)).toEqual({ copiesLost: 6, lastBeforePause: 2 });
    // The listener lost exactly the frames no copy could bring back: every copy that arrived was played in time.
    expect(result.lost).toBe(15);
  });

  it('with the first report asked for early, after 25 packets (as the app’s session asks), RED is on within 550 ms', async () => {
    const result = await runLossyLink({ speech, lossPct: 10, seed: 1, jitterMs: 10, send: { red: 'auto' }, earlyFirstReport: true });
    // The 25th packet goes at 490 ms; its report is back a round trip (60 ms) later.
    expect(result.redOnAtMs).toBe(550);
    expect(causes(result, 0, 550)).toEqual({ redOff: 3 });
    expect(causes(result, 550)).toEqual({ copiesLost: 6, lastBeforePause: 2 });
    expect(result.lost).toBe(11);
  });

  it('with the link expected to be lossy (an earlier call to the relay saw loss), RED covers the stream from its first packet', async () => {
    const result = await runLossyLink({ speech, lossPct: 10, seed: 1, jitterMs: 10, send: { red: 'auto' }, prepare: (pipeline) => pipeline.expectLoss() });
    expect(result.redOnAtMs).toBe(0);
    expect(causes(result, 0, 2000)).toEqual({});
    expect(causes(result)).toEqual({ copiesLost: 6, lastBeforePause: 2 });
    expect(result.lost).toBe(8);
    // Exactly what RED forced on achieves.
    const forced = await runLossyLink({ speech, lossPct: 10, seed: 1, jitterMs: 10, send: { red: 'on' } });
    expect(forced.lost).toBe(result.lost);
  });
});

describe('talkspurt ends under 20 % random loss (voice activation, RED on with one copy: no loss report comes)', () => {
  it('the end marker carries the last frame, so a talkspurt’s last frame is lost only with its marker', async () => {
    const result = await runLossyLink({ speech, lossPct: 20, seed: 5, send: { red: 'on', activation: 'voice' }, firstReportMs: Infinity });
    // Without the copy on the marker, three talkspurts lost their last frame here (29 lost, 107 recovered).
    expect(causes(result)).toEqual({ copiesLost: 25, copyTooLarge: 1 });
    expect({ lost: result.lost, recoveredByRed: result.recoveredByRed }).toEqual({ lost: 26, recoveredByRed: 110 });
  });

  it('the listener counts a dropped end marker as a lost frame (it cannot tell it carried no audio)', async () => {
    const result = await runLossyLink({ speech, lossPct: 20, seed: 6, send: { red: 'on', activation: 'voice' }, firstReportMs: Infinity });
    expect(causes(result)).toEqual({ copiesLost: 30 });
    expect(result.endMarkersDropped).toBe(3);
    expect(result.lost).toBe(30 + 3);
  });
});

describe('RED depth 2 under 20 % random loss (10 ms jitter)', () => {
  it('on auto, the first report turns RED on with two copies at once, and the listener loses only frames no copy reached', async () => {
    const result = await runLossyLink({ speech, lossPct: 20, seed: 1, jitterMs: 10, send: { red: 'auto' } });
    expect([result.redOnAtMs, result.redDepth2AtMs]).toEqual([2000, 2000]);
    expect(causes(result, 0, 2000)).toEqual({ redOff: 23 });
    expect(causes(result, 2000)).toEqual({ copiesLost: 6, lastBeforePause: 4 });
    // Every copy that arrived was played: a copy two frames on came in time, as the schedule waits for it.
    expect(result.lost).toBe(23 + 6 + 4);
  });

  it('two copies leave a third of the frames one copy leaves unrecovered, for 20 ms more delay at the listener', async () => {
    // Forced on and no reports: one copy throughout. A first report of 100 % loss takes it to two at once (and no later report comes).
    const one = await runLossyLink({ speech, lossPct: 20, seed: 1, jitterMs: 10, send: { red: 'on' }, firstReportMs: Infinity });
    const two = await runLossyLink({
      speech,
      lossPct: 20,
      seed: 1,
      jitterMs: 10,
      send: { red: 'on' },
      firstReportMs: Infinity,
      prepare: (pipeline) => pipeline.onLinkReport({ uplinkLossPermille: 1000, downlinkLossPermille: LOSS_UNKNOWN }),
    });
    expect([one.redDepth2AtMs, two.redDepth2AtMs]).toEqual([undefined, 0]);
    expect(causes(one)).toEqual({ copiesLost: 29, lastBeforePause: 4 });
    expect(causes(two)).toEqual({ copiesLost: 7, lastBeforePause: 4 });
    expect([one.lost, two.lost]).toEqual([33, 11]);
    expect(two.targetDelayMs - one.targetDelayMs).toBeCloseTo(20, 6);
  });
});
