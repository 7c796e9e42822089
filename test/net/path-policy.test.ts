import { describe, expect, it } from 'vitest';
import { DEFAULT_PATH_TIMING, PathPolicy } from '../../electron/net/path-policy.js';

/** The first time in [from, to) (10 ms steps) at which a tick decides something other than staying. */
function firstDecision(policy: PathPolicy, from: number, to: number): { at: number; decision: ReturnType<PathPolicy['tick']> } | undefined {
  for (let now = from; now < to; now += 10) {
    const decision = policy.tick(now);
    if (decision.kind !== 'stay') return { at: now, decision };
  }
  return undefined;
}

describe('the choice between UDP and TCP, on a simulated clock', () => {
  it('starts on UDP and switches to TCP exactly 1.5 s after a first datagram goes unanswered', () => {
    const policy = new PathPolicy();
    expect(policy.path).toBe('udp');
    expect(policy.tick(0)).toEqual({ kind: 'stay' });
    policy.sentOverUdp(1_000);
    policy.sentOverUdp(1_400); // a retry does not restart the wait
    expect(policy.tick(2_490)).toEqual({ kind: 'stay' });
    expect(policy.tick(2_500)).toEqual({ kind: 'switch', to: 'tcp' });
    expect(policy.path).toBe('tcp');
  });

  it('stays on UDP when it is answered in time', () => {
    const policy = new PathPolicy();
    policy.sentOverUdp(0);
    expect(policy.heardOverUdp(1_499)).toEqual({ kind: 'stay' });
    expect(firstDecision(policy, 1_500, 60_000)).toBeUndefined();
  });

  it('once UDP has worked, allows a ping interval of quiet before 1.5 s more of no answer moves it to TCP', () => {
    const policy = new PathPolicy();
    policy.sentOverUdp(0);
    policy.heardOverUdp(50);
    policy.sentOverUdp(100); // media, with nothing coming back but the next PONG
    expect(policy.tick(3_590)).toEqual({ kind: 'stay' });
    expect(policy.tick(3_600)).toEqual({ kind: 'switch', to: 'tcp' });
  });

  it('on TCP, probes UDP every 2 s from the switch, and goes back at the first answer to a probe', () => {
    const policy = new PathPolicy();
    policy.sentOverUdp(0);
    expect(policy.tick(1_500)).toEqual({ kind: 'switch', to: 'tcp' });
    // A straggler over UDP before any probe is not an answer.
    expect(policy.heardOverUdp(1_600)).toEqual({ kind: 'stay' });
    expect(firstDecision(policy, 1_510, 10_000)).toEqual({ at: 3_500, decision: { kind: 'probe' } });
    expect(firstDecision(policy, 3_510, 10_000)).toEqual({ at: 5_500, decision: { kind: 'probe' } });
    expect(policy.path).toBe('tcp');
    expect(policy.heardOverUdp(5_520)).toEqual({ kind: 'switch', to: 'udp' });
    expect(policy.path).toBe('udp');
    // Back on UDP, it worked: the longer allowance applies.
    policy.sentOverUdp(5_600);
    expect(policy.tick(9_090)).toEqual({ kind: 'stay' });
    expect(policy.tick(9_100)).toEqual({ kind: 'switch', to: 'tcp' });
  });

  it('after media stalled over UDP, holds TCP for 30 s though probes are answered', () => {
    const policy = new PathPolicy();
    policy.sentOverUdp(0);
    policy.heardOverUdp(10);
    expect(policy.mediaStalled(1_000)).toEqual({ kind: 'switch', to: 'tcp' });
    expect(policy.tick(3_000)).toEqual({ kind: 'probe' });
    expect(policy.heardOverUdp(3_010)).toEqual({ kind: 'stay' });
    expect(policy.tick(31_000)).toEqual({ kind: 'probe' });
    expect(policy.heardOverUdp(31_010)).toEqual({ kind: 'switch', to: 'udp' });
    expect(policy.mediaStalled(31_020)).toEqual({ kind: 'switch', to: 'tcp' });
    expect(policy.mediaStalled(31_030)).toEqual({ kind: 'stay' });
  });

  it('back to UDP at once when TCP fails, and no TCP again for 5 s', () => {
    const policy = new PathPolicy();
    policy.sentOverUdp(0);
    policy.tick(1_500);
    expect(policy.tcpFailed(1_600)).toEqual({ kind: 'switch', to: 'udp' });
    policy.sentOverUdp(1_700);
    expect(firstDecision(policy, 1_710, 20_000)).toEqual({ at: 6_600, decision: { kind: 'switch', to: 'tcp' } });
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_PATH_TIMING).toEqual({ udpAnswerMs: 1_500, quietAllowanceMs: 2_000, probeIntervalMs: 2_000, stallHoldMs: 30_000, tcpRetryMs: 5_000 });
  });
});
