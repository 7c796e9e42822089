import { describe, expect, it } from 'vitest';
import { DecisionLogic } from '../../../electron/engine/receive/decision-logic.js';
import { DelayManager } from '../../../electron/engine/receive/delay-manager.js';
import type { BufferedFrame } from '../../../electron/engine/receive/packet-buffer.js';
import { PlayoutController, type BufferStatus } from '../../../electron/engine/receive/playout-controller.js';
import { RedUsage } from '../../../electron/engine/receive/red-usage.js';
import type { EncodedFrame } from '../../../electron/engine/receive/unpack.js';

const MS = 48;
const INFO = { toc: 0x48, frameSamples: 960, frameCount: 1, totalSamples: 960 };

function frame(seq: number, ts: number, extra: Partial<BufferedFrame> = {}): BufferedFrame {
  return { ts, seq, samples: 960, payload: Uint8Array.of(0x48), info: INFO, source: 'primary', marker: false, arrivalMs: 0, ...extra };
}

function status(extra: Partial<BufferStatus>): BufferStatus {
  return {
    nowMs: 0,
    playing: false,
    due: undefined,
    following: undefined,
    dueTs: 0,
    last: undefined,
    endReached: false,
    gapConcealedSamples: 0,
    concealRunSamples: 0,
    heldSamples: 0,
    levelSamples: 0,
    newest: undefined,
    ...extra,
  };
}

const controller = (): PlayoutController => new PlayoutController(new DelayManager(), new RedUsage(), new DecisionLogic());

/** A packet of the frame starting at `mediaMs` arriving `transitMs` later. */
function arrive(c: PlayoutController, mediaMs: number, transitMs: number, redundant: EncodedFrame[] = []): void {
  c.packetArrived({ arrivalMs: mediaMs + transitMs, ts: mediaMs * MS, frameSamples: 960, redundant, marker: redundant.length === 0 });
}

describe('PlayoutController', () => {
  it('starts a talkspurt when the delay manager’s schedule says its first frame is due', () => {
    const c = controller();
    const first = frame(1, 1000 * MS);
    // Before any packet there is no schedule: whatever is held may start.
    expect(c.decide(status({ nowMs: 0, due: first }))).toEqual({ kind: 'start', fromTs: first.ts });
    arrive(c, 1000, 30);
    expect(c.decide(status({ nowMs: 1029, due: first }))).toEqual({ kind: 'silence' });
    expect(c.decide(status({ nowMs: 1030, due: first }))).toEqual({ kind: 'start', fromTs: first.ts });
    expect(c.targetMs).toBe(20);
  });

  it('waits the RED distance as well while the sender uses RED', () => {
    const c = controller();
    const copy: EncodedFrame = { timestampOffset: 960, payload: Uint8Array.of(0x48), info: INFO };
    arrive(c, 1000, 30, [copy]);
    const first = frame(1, 1000 * MS);
    expect(c.decide(status({ nowMs: 1049, due: first }))).toEqual({ kind: 'silence' });
    expect(c.decide(status({ nowMs: 1050, due: first }))).toEqual({ kind: 'start', fromTs: first.ts });
    expect(c.targetMs).toBe(40);
  });

  it('forgets the schedule when the sender restarts its stream', () => {
    const c = controller();
    arrive(c, 1000, 30);
    c.streamRestarted();
    expect(c.decide(status({ nowMs: 0, due: frame(1, 1000 * MS) }))).toEqual({ kind: 'start', fromTs: 1000 * MS });
  });

  it('measures the delay error from the schedule and the samples in hand: early playout is stretched', () => {
    const c = controller();
    arrive(c, 1000, 30);
    const due = frame(2, 1020 * MS);
    // Due at 1020 + 30 ms; it plays at 1025 + 5 ms in hand: 20 ms early.
    const playing = status({ playing: true, due, dueTs: due.ts, last: { seq: 1, samples: 960 }, nowMs: 1025, heldSamples: 5 * MS });
    expect(c.decide(playing)).toEqual({ kind: 'decode', frame: due, adjust: { kind: 'stretch', maxSamples: 30 * MS, speechAllowed: true } });
  });

  it('tells a new talkspurt from a continuation by the marker or a timestamp leap the missing frames do not explain', () => {
    const c = controller();
    arrive(c, 1000, 30);
    const hole = { playing: true, dueTs: 1020 * MS, last: { seq: 1, samples: 960 }, nowMs: 1100, gapConcealedSamples: 0 };
    // Frame 2 is missing and frame 3 follows on: the hole is concealed, then frame 2 given up.
    const next = frame(3, 1040 * MS);
    expect(c.decide(status({ ...hole, following: next }))).toEqual({ kind: 'conceal' });
    expect(c.decide(status({ ...hole, following: next, gapConcealedSamples: 960 }))).toEqual({ kind: 'skipTo', frame: next });
    // Frame 3 starts 60 ms later than frame 2 would have ended: a new talkspurt, whose end marker was lost.
    // Concealment goes on until the schedule's time for it (1100 + 30 ms) has come.
    const leap = frame(3, 1100 * MS);
    expect(c.decide(status({ ...hole, following: leap, nowMs: 1129 }))).toEqual({ kind: 'conceal' });
    expect(c.decide(status({ ...hole, following: leap, nowMs: 1130 }))).toEqual({ kind: 'restart', frame: leap });
    expect(c.decide(status({ ...hole, following: frame(3, 1040 * MS, { marker: true }) }))).toMatchObject({ kind: 'restart' });
  });

  it('catches up to the target’s worth before the newest frame when far more than the maximum is buffered', () => {
    const c = controller();
    arrive(c, 1000, 30);
    const due = frame(2, 1020 * MS);
    const newest = { ts: 1600 * MS, end: 1620 * MS };
    const stalled = status({ playing: true, due, dueTs: due.ts, last: { seq: 1, samples: 960 }, nowMs: 1050, newest });
    // The target is one frame: the jump lands on the newest frame itself.
    expect(c.decide({ ...stalled, levelSamples: 501 * MS })).toEqual({ kind: 'catchUp', fromTs: 1600 * MS });
    expect(c.decide({ ...stalled, levelSamples: 500 * MS })).toMatchObject({ kind: 'decode', frame: due });
  });
});
