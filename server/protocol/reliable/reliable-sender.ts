import { selectivelyAcknowledged, type Ack } from './ack.js';

export interface ReliableSenderOptions {
  /** At most this many messages unacknowledged at once; the rest wait their turn. */
  window: number;
  /** The first retransmission's wait, before a round trip is known. */
  initialTimeoutMs: number;
  /** The wait doubles with each attempt, up to this. */
  maxTimeoutMs: number;
  /** A message sent this many times without an ack is given up. */
  maxAttempts: number;
}

/** 300 ms, doubling to 5 s, eight attempts: a message is given up about 20 s after it was first sent. */
export const DEFAULT_RELIABLE_SENDER: ReliableSenderOptions = { window: 32, initialTimeoutMs: 300, maxTimeoutMs: 5_000, maxAttempts: 8 };

/** One datagram's worth to send now: the message, its number, and the floor the receiver may skip to. */
export interface Transmission<T> {
  seq: number;
  floor: number;
  payload: T;
  /** 1 for the first send. */
  attempt: number;
}

interface InFlight<T> {
  seq: number;
  payload: T;
  attempts: number;
  dueAt: number;
}

/**
 * The sending half of a reliable, ordered channel over datagrams
 * (see ReliableReceiver). The caller passes the time and polls: `poll(now)`
 * returns what to send now (first sends within the window, then
 * retransmissions whose wait ran out), `nextDueAt()` says when to poll again.
 * Each retransmission waits twice as long as the one before; after
 * `maxAttempts` sends a message is given up, and the floor moves past it so
 * the receiver stops waiting for it.
 */
export class ReliableSender<T> {
  private nextSeq = 1;
  /** Sent at least once and neither acknowledged nor given up, by number. */
  private readonly inFlight = new Map<number, InFlight<T>>();
  /** Not yet sent because the window is full. */
  private readonly waiting: { seq: number; payload: T }[] = [];
  private readonly abandoned: { seq: number; payload: T }[] = [];
  private baseTimeoutMs: number;
  retransmissions = 0;

  constructor(private readonly options: ReliableSenderOptions = DEFAULT_RELIABLE_SENDER) {
    this.baseTimeoutMs = options.initialTimeoutMs;
  }

  /** Queues `payload` and returns its sequence number. */
  send(payload: T): number {
    const seq = this.nextSeq++;
    this.waiting.push({ seq, payload });
    return seq;
  }

  /** What to send at `nowMs`, oldest first. */
  poll(nowMs: number): Transmission<T>[] {
    const out: InFlight<T>[] = [];
    for (const entry of this.inFlight.values()) {
      if (entry.dueAt > nowMs) continue;
      if (entry.attempts >= this.options.maxAttempts) {
        this.inFlight.delete(entry.seq);
        this.abandoned.push({ seq: entry.seq, payload: entry.payload });
        continue;
      }
      this.retransmissions++;
      out.push(entry);
    }
    while (this.waiting.length > 0 && this.waiting[0]!.seq < this.floor + this.options.window) {
      const { seq, payload } = this.waiting.shift()!;
      const entry: InFlight<T> = { seq, payload, attempts: 0, dueAt: nowMs };
      this.inFlight.set(seq, entry);
      out.push(entry);
    }
    // The floor is taken after this poll's give-ups, so every transmission tells the receiver the latest.
    const floor = this.floor;
    return out
      .sort((a, b) => a.seq - b.seq)
      .map((entry) => {
        entry.attempts++;
        entry.dueAt = nowMs + this.timeoutFor(entry.attempts);
        return { seq: entry.seq, floor, payload: entry.payload, attempt: entry.attempts };
      });
  }

  /** Takes an ack; an ack naming numbers never sent is ignored past what was sent. Returns how many it newly settled. */
  acknowledge(ack: Ack): number {
    let settled = 0;
    for (const seq of [...this.inFlight.keys()]) {
      if (seq <= ack.cumulative) {
        this.inFlight.delete(seq);
        settled++;
      }
    }
    for (const seq of selectivelyAcknowledged(ack)) {
      if (this.inFlight.delete(seq)) settled++;
    }
    return settled;
  }

  /** The round trip measured elsewhere (the session's pings): the first wait becomes twice it, within the bounds. */
  setRoundTrip(rttMs: number): void {
    this.baseTimeoutMs = Math.min(this.options.maxTimeoutMs, Math.max(this.options.initialTimeoutMs, 2 * rttMs));
  }

  /** The messages given up since the last call, so the caller can say they were not delivered. */
  takeAbandoned(): { seq: number; payload: T }[] {
    return this.abandoned.splice(0);
  }

  /** When `poll` next has something to do: now if anything waits for the window to open, else the earliest timer. */
  nextDueAt(nowMs: number): number | undefined {
    if (this.waiting.length > 0 && this.waiting[0]!.seq < this.floor + this.options.window) return nowMs;
    let earliest: number | undefined;
    for (const entry of this.inFlight.values()) earliest = earliest === undefined ? entry.dueAt : Math.min(earliest, entry.dueAt);
    return earliest;
  }

  /** The lowest number this sender still holds (in flight or waiting): below it the receiver need wait for nothing. */
  get floor(): number {
    let lowest = this.waiting[0]?.seq ?? this.nextSeq;
    for (const seq of this.inFlight.keys()) lowest = Math.min(lowest, seq);
    return lowest;
  }

  /** Messages not yet acknowledged or given up. */
  get pending(): number {
    return this.inFlight.size + this.waiting.length;
  }

  private timeoutFor(attempts: number): number {
    return Math.min(this.options.maxTimeoutMs, this.baseTimeoutMs * 2 ** (attempts - 1));
  }
}
