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
    dueMayStart: true,
    following: undefined,
    followingStartsTalkspurt: false,
    followingMayStart: true,
    dueTs: 9600,
    endReached: false,
    gapConcealedSamples: 0,
    concealRunSamples: 0,
    levelSamples: 20 * MS,
    maxDelaySamples: 400 * MS,
    catchUpTs: undefined,
    delayErrorMs: 5,
    ...extra,
  };
}

/** The decision in a situation that is, unless told otherwise: playing, the schedule's time come, nothing to catch up to. */
function decide(logic: DecisionLogic, extra: Partial<Situation>) {
  return logic.decide(situation(extra));
}

describe('DecisionLogic', () => {
  it('waits in silence until a talkspurt’s first frame is due, then starts it', () => {
    const logic = new DecisionLogic();
    const first = frame(0);
    expect(decide(logic, { playing: false })).toEqual({ kind: 'silence' });
    expect(decide(logic, { playing: false, due: first, dueMayStart: false })).toEqual({ kind: 'silence' });
    expect(decide(logic, { playing: false, due: first })).toEqual({ kind: 'start', fromTs: 0 });
  });

  it('decodes the due frame, whether the original or a RED copy', () => {
    const logic = new DecisionLogic();
    const copy = frame(9600, { source: 'red' });
    expect(decide(logic, { due: copy })).toEqual({ kind: 'decode', frame: copy, adjust: undefined });
  });

  it('conceals a missing frame once, then gives it up for the next one it holds', () => {
    const logic = new DecisionLogic();
    const next = frame(9600 + 960);
    expect(decide(logic, { following: next })).toEqual({ kind: 'conceal' });
    expect(decide(logic, { following: next, gapConcealedSamples: 960 })).toEqual({ kind: 'skipTo', frame: next });
  });

  it('keeps concealing while a hole of two frames is not yet covered', () => {
    const logic = new DecisionLogic();
    const next = frame(9600 + 1920);
    expect(decide(logic, { following: next, gapConcealedSamples: 960 })).toEqual({ kind: 'conceal' });
  });

  it('waits for a missing frame whose time under a risen target has not yet come', () => {
    const logic = new DecisionLogic();
    const next = frame(9600 + 960);
    expect(decide(logic, { following: next, gapConcealedSamples: 960, delayErrorMs: -0.5 })).toEqual({ kind: 'conceal' });
    expect(decide(logic, { following: next, gapConcealedSamples: 960, delayErrorMs: 0 })).toEqual({ kind: 'skipTo', frame: next });
  });

  it('stops at the sender’s end marker instead of concealing', () => {
    expect(decide(new DecisionLogic(), { endReached: true })).toEqual({ kind: 'end' });
  });

  it('fades out after 100 ms of concealment', () => {
    const logic = new DecisionLogic();
    expect(decide(logic, { concealRunSamples: 99 * MS })).toEqual({ kind: 'conceal' });
    expect(decide(logic, { concealRunSamples: PLAYOUT_POLICY.concealSilentMs * MS })).toEqual({ kind: 'fadedOut' });
  });

  it('restarts on a new talkspurt when its time has come, concealing (fading) until then', () => {
    const logic = new DecisionLogic();
    const next = frame(96_000, { marker: true });
    const starting = { following: next, followingStartsTalkspurt: true };
    expect(decide(logic, { ...starting, gapConcealedSamples: 200_000, followingMayStart: false })).toEqual({ kind: 'conceal' });
    expect(decide(logic, starting)).toEqual({ kind: 'restart', frame: next });
  });

  it('compresses once playing later than the target has lasted: quiet frames after 300 ms, speech after a second', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    const late = PLAYOUT_POLICY.compressAboveMs + 10;
    expect(decide(logic, { due, delayErrorMs: late, nowMs: 0 })).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(decide(logic, { due, delayErrorMs: late, nowMs: 299 })).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(decide(logic, { due, delayErrorMs: late, nowMs: 300 })).toEqual({
      kind: 'decode',
      frame: due,
      adjust: { kind: 'compress', maxSamples: (late - PLAYOUT_POLICY.settleAtMs) * MS, speechAllowed: false },
    });
    expect(decide(logic, { due, delayErrorMs: late, nowMs: 999 })).toMatchObject({ adjust: { speechAllowed: false } });
    expect(decide(logic, { due, delayErrorMs: late, nowMs: 1000 })).toMatchObject({ adjust: { speechAllowed: true } });
    // The compression itself lowers the smoothed error at once: no second helping while the smoothing catches up.
    logic.onTimeAdjusted(-20 * MS);
    expect(decide(logic, { due, delayErrorMs: late, nowMs: 1010 })).toEqual({ kind: 'decode', frame: due, adjust: undefined });
  });

  it('never compresses a fresh excess, however large: the schedule may be about to catch up with it', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    expect(decide(logic, { due, delayErrorMs: 300, nowMs: 0 })).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(decide(logic, { due, delayErrorMs: 5, nowMs: 200 })).toEqual({ kind: 'decode', frame: due, adjust: undefined });
    expect(decide(logic, { due, delayErrorMs: 300, nowMs: 400 })).toEqual({ kind: 'decode', frame: due, adjust: undefined });
  });

  it('stretches when playing earlier than the target', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    expect(decide(logic, { due, delayErrorMs: -20 })).toEqual({
      kind: 'decode',
      frame: due,
      adjust: { kind: 'stretch', maxSamples: 30 * MS, speechAllowed: true },
    });
  });

  it('acts only when the latest and the smoothed error agree: one unevenly timed tick changes nothing', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    expect(decide(logic, { due, delayErrorMs: 5 })).toMatchObject({ adjust: undefined });
    expect(decide(logic, { due, delayErrorMs: -30 })).toMatchObject({ adjust: undefined });
    expect(decide(logic, { due, delayErrorMs: 40, nowMs: 500 })).toMatchObject({ adjust: undefined });
  });

  it('catches up past audio buffered far beyond the maximum delay', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    const far = { due, levelSamples: 501 * MS, catchUpTs: 96_000 };
    expect(decide(logic, far)).toEqual({ kind: 'catchUp', fromTs: 96_000 });
    expect(decide(logic, { ...far, playing: false })).toEqual({ kind: 'start', fromTs: 96_000 });
    // Not beyond the margin, or no frame that far ahead of the due one: play on.
    expect(decide(logic, { ...far, levelSamples: 500 * MS })).toMatchObject({ kind: 'decode', frame: due });
    expect(decide(logic, { ...far, catchUpTs: 9600 })).toMatchObject({ kind: 'decode', frame: due });
    expect(decide(logic, { ...far, catchUpTs: undefined })).toMatchObject({ kind: 'decode', frame: due });
  });

  it('measures a new talkspurt afresh: an excess that lasted before its start counts for nothing after it', () => {
    const logic = new DecisionLogic();
    const due = frame(9600);
    const late = PLAYOUT_POLICY.compressAboveMs + 10;
    decide(logic, { due, delayErrorMs: late, nowMs: 0 });
    expect(decide(logic, { playing: false, due, nowMs: 400 })).toEqual({ kind: 'start', fromTs: 9600 });
    expect(decide(logic, { due, delayErrorMs: late, nowMs: 400 })).toEqual({ kind: 'decode', frame: due, adjust: undefined });
  });
});
