import type { TransportKind } from './datagram-transport.js';

export interface PathTiming {
  /** A first UDP datagram unanswered this long means UDP is blocked: go over TCP. */
  udpAnswerMs: number;
  /**
   * Once UDP has worked, silence is normal for up to a ping interval (a PONG
   * every 2 s is all a quiet room sends); this long beyond it means UDP stopped.
   */
  quietAllowanceMs: number;
  /** While on TCP, UDP is tried again this often. */
  probeIntervalMs: number;
  /** After media stopped over a UDP that still carried control, stay on TCP at least this long before trusting UDP again. */
  stallHoldMs: number;
  /** A relay that refused TCP is not asked over TCP again for this long (it may be one without a TCP side). */
  tcpRetryMs: number;
}

export const DEFAULT_PATH_TIMING: PathTiming = { udpAnswerMs: 1_500, quietAllowanceMs: 2_000, probeIntervalMs: 2_000, stallHoldMs: 30_000, tcpRetryMs: 5_000 };

export type PathDecision = { kind: 'switch'; to: TransportKind } | { kind: 'probe' } | { kind: 'stay' };

const STAY: PathDecision = { kind: 'stay' };

/**
 * Which way to send, decided from what was sent and heard and when; the
 * caller passes the time in and acts on what `tick` says. UDP first; TCP
 * when UDP goes unanswered (1.5 s for a first datagram, a ping interval more
 * once UDP has worked) or media stops over it while control still flows;
 * back to UDP as soon as a probe sent over it is answered, or at once when
 * the relay refuses TCP.
 */
export class PathPolicy {
  private current: TransportKind = 'udp';
  private heardOnUdp = false;
  /** The first UDP send since UDP was last heard from, while on UDP. */
  private unansweredSince: number | undefined;
  private nextProbeAt = 0;
  private holdUntil = 0;
  private probeSent = false;
  private noTcpUntil = 0;

  constructor(private readonly timing: PathTiming = DEFAULT_PATH_TIMING) {}

  get path(): TransportKind {
    return this.current;
  }

  sentOverUdp(now: number): void {
    if (this.current === 'udp') this.unansweredSince ??= now;
  }

  /** Anything arrived over UDP. On TCP it is a probe's answer: UDP works again. */
  heardOverUdp(now: number): PathDecision {
    this.heardOnUdp = true;
    this.unansweredSince = undefined;
    if (this.current === 'tcp' && this.probeSent && now >= this.holdUntil) return this.switchTo('udp', now);
    return STAY;
  }

  /** The TCP connection failed or was closed: back to UDP, the only way left, and no TCP for a while. */
  tcpFailed(now: number): PathDecision {
    this.noTcpUntil = now + this.timing.tcpRetryMs;
    if (this.current !== 'tcp') return STAY;
    this.heardOnUdp = false;
    return this.switchTo('udp', now);
  }

  /** The session sees media missing while control arrives (peers talking, none heard). */
  mediaStalled(now: number): PathDecision {
    if (this.current !== 'udp') return STAY;
    this.holdUntil = now + this.timing.stallHoldMs;
    return this.switchTo('tcp', now);
  }

  tick(now: number): PathDecision {
    if (this.current === 'udp') {
      if (this.unansweredSince === undefined) return STAY;
      const allowed = this.heardOnUdp ? this.timing.udpAnswerMs + this.timing.quietAllowanceMs : this.timing.udpAnswerMs;
      return now - this.unansweredSince >= allowed && now >= this.noTcpUntil ? this.switchTo('tcp', now) : STAY;
    }
    if (now < this.nextProbeAt) return STAY;
    this.nextProbeAt = now + this.timing.probeIntervalMs;
    this.probeSent = true;
    return { kind: 'probe' };
  }

  private switchTo(to: TransportKind, now: number): PathDecision {
    this.current = to;
    this.unansweredSince = undefined;
    this.probeSent = false;
    // The first probe waits a whole interval: UDP was just found wanting.
    this.nextProbeAt = now + this.timing.probeIntervalMs;
    return { kind: 'switch', to };
  }
}
