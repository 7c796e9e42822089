import { describe, expect, it } from 'vitest';
import { DecisionLogic, PLAYOUT_POLICY, type Situation } from '../../../electron/engine/receive/decision-logic.js';
import type { BufferedFrame } from '../../../electron/engine/receive/packet-buffer.js';

const MS = 48;

function frame(ts: number, extra: Partial<BufferedFrame> = {}): BufferedFrame {
  return {
    ts,
    seq: ts / 960,
    samples: 960,
    payload: Uint8Array.of(0x48),
    info: { toc: 0x48, frameSamples: 960, frameCount: 1, totalSamples: 960 },
    source: 'primary',
    marker: false,
    arrivalMs: 0,
    ...extra,
  };
}

function situation(extra: Partial<Situation>): Situation {
  return {
    nowMs: 0,
    playing: true,
    due: undefined,
    following: undefined,
    dueTs: 9600,
    endReached: false,
    gapConcealedSamples: 0,
    concealRunSamples: 0,
    levelSamples: 20 * MS,
    maxDelaySamples: 400 * MS,
    delayErrorMs: 5,
    startDue: () => true,
    startsTalkspurt: (f) => f.marker,
    catchUpFrame: () => undefined,
    ...extra,
  };
}

describe('DecisionLogic', () => {
  it('waits in silence until a talkspurt’s first frame is due, then starts it', () => {
    const logic = new DecisionLogic();
    const first = frame(0);
    expect(logic.decide(situation({ playing: false }))).toEqual({ kind: 'silence' });
    expect(logic.decide(situation({ playing: false, due: first, startDue: () => false }))).toEqual({ kind: 'silence' });
    expect(logic.decide(situation({ playing: false, due: first }))).toEqual({ kind: 'start', frame: first });
  });

  it('decodes the due frame, whether the original or a RED copy', () => {
    const logic = new DecisionLogic();
    const copy = frame(9600, { source: 'red' });
    expect(logic.decide(situation({ due: copy }))).toEqual({ kind: 'decode', frame: copy, adjust: undefined });
  });

  it('conceals a missing frame once, then gives it up for the next one it holds', () => {
    const logic = new DecisionLogic();
    const next = frame(9600 + 960);
    expect(logic.decide(situation({ following: next }))).toEqual({ kind: 'conceal' });
    expect(logic.decide(situation({ following: next, gapConcealedSamples: 960 }))).toEqual({ kind: 'skipTo', frame: next });
  });

  it('keeps concealing while a hole of two frames is not yet covered', () => {
    const logic = new DecisionLogic();
    const next = frame(9600 + 1920);
    expect(logic.decide(situation({ following: next, gapConcealedSamples: 960 }))).toEqual({ kind: 'conceal' });
  });

  it('waits for a missing frame whose time under a risen target has not yet come', () => {
    const logic = new DecisionLogic();
    const next = frame(9600 + 960);
    expect(logic.decide(situation({ following: next, gapConcealedSamples: 960, delayErrorMs: -0.5 }))).toEqual({ kind: 'conceal' });
    expect(logic.decide(situation({ following: next, gapConcealedSamples: 960, delayErrorMs: 0 }))).toEqual({ kind: 'skipTo', frame: next });
  });

  it('stops at the sender’s end marker instead of concealing', () => {
    expect(new DecisionLogic().decide(situation({ endReached: true }))).toEqual({ kind: 'end' });
  });

  it('fades out after 100 ms of concealment', () => {
    const logic = new DecisionLogic();
    expect(logic.decide(situation({ concealRunSamples: 99 * MS }))).toEqual({ kind: 'conceal' });
    expect(logic.decide(situation({ concealRunSamples: PLAYOUT_POLICY.concealSilentMs * MS }))).toEqual({ kind: 'fadedOut' });
  });

  it('restarts on a new talkspurt when its time has come, concealing (fading) until then', () => {
    const logic = new DecisionLogic();
    const next = frame(96_000, { marker: true });
    expect(logic.decide(situation({ following: next, startDue: () => false, gapConcealedSamples: 200_000 }))).toEqual({ kind: 'conceal' });
    expect(logic.decide(situation({ following: next }))).toEqual({ kind: 'restart', frame: next });
  });

  it('compresses once playing later than the target has lasted: quiet frames after 300 ms, speech after a second', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    const late = PLAYOUT_POLICY.compressAboveMs + 10;
    expect(logic.decide(situation({ due, delayErrorMs: late, nowMs: 0 }))).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(logic.decide(situation({ due, delayErrorMs: late, nowMs: 299 }))).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(logic.decide(situation({ due, delayErrorMs: late, nowMs: 300 }))).toEqual({
      kind: 'decode',
      frame: due,
      adjust: { kind: 'compress', maxSamples: (late - PLAYOUT_POLICY.settleAtMs) * MS, speechAllowed: false },
    });
    expect(logic.decide(situation({ due, delayErrorMs: late, nowMs: 999 }))).toMatchObject({ adjust: { speechAllowed: false } });
    expect(logic.decide(situation({ due, delayErrorMs: late, nowMs: 1000 }))).toMatchObject({ adjust: { speechAllowed: true } });
    // The compression itself lowers the smoothed error at once: no second helping while the smoothing catches up.
    logic.onTimeAdjusted(-20 * MS);
    expect(logic.decide(situation({ due, delayErrorMs: late, nowMs: 1010 }))).toEqual({ kind: 'decode', frame: due, adjust: undefined });
  });

  it('never compresses a fresh excess, however large: the schedule may be about to catch up with it', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    expect(logic.decide(situation({ due, delayErrorMs: 300, nowMs: 0 }))).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(logic.decide(situation({ due, delayErrorMs: 5, nowMs: 200 }))).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(logic.decide(situation({ due, delayErrorMs: 300, nowMs: 400 }))).toEqual({ kind: 'decode', frame: due, adjust: undefined });
  });

  it('stretches when playing earlier than the target', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    expect(logic.decide(situation({ due, delayErrorMs: -20 }))).toEqual({
      kind: 'decode',
      frame: due,
      adjust: { kind: 'stretch', maxSamples: 30 * MS, speechAllowed: true },
    });
  });

  it('acts only when the latest and the smoothed error agree: one unevenly timed tick changes nothing', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    expect(logic.decide(situation({ due, delayErrorMs: 5 }))).toMatchObject({ adjust: undefined });
    expect(logic.decide(situation({ due, delayErrorMs: -30 }))).toMatchObject({ adjust: undefined });
    expect(logic.decide(situation({ due, delayErrorMs: 40, nowMs: 500 }))).toMatchObject({ adjust: undefined });
  });

  it('catches up past audio buffered far beyond the maximum delay', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    const near = frame(96_000);
    expect(logic.decide(situation({ due, levelSamples: 501 * MS, catchUpFrame: () => near }))).toEqual({ kind: 'catchUp', frame: near });
    expect(logic.decide(situation({ playing: false, due, levelSamples: 501 * MS, catchUpFrame: () => near }))).toEqual({ kind: 'start', frame: near });
  });
});
