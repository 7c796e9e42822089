/**
 * Media packets the first loss report of a session should measure: half a
 * second at 20 ms frames. At 10 % loss one of them or more is lost 93 times
 * in 100, and one in 25 already reads 4 %, over the 2 % at which RED goes on.
 */
export const FIRST_REPORT_PACKETS = 25;

/**
 * When to ask for a loss report early. Reports come with the relay's answer
 * to each ping, every ping interval (2 s), and measure the packets since the
 * ping before; so when speech starts just after a ping, the first report that
 * sees it comes up to 2 s later, and until then RED cannot know to switch on.
 * This says to ping once as soon as FIRST_REPORT_PACKETS packets have been
 * counted since the last ping, until one ping has gone out over that many:
 * one ping more per session at most, and none once a regular one measured
 * enough. Counted in packets, not time, so it is exact under any clock.
 */
export class FirstReport {
  private sincePing = 0;
  private done = false;

  /** A media packet went out; true when a ping should go now. */
  counted(): boolean {
    if (this.done) return false;
    return ++this.sincePing >= FIRST_REPORT_PACKETS;
  }

  /** A ping went out: it carries the report over what was counted since the last. */
  pinged(): void {
    if (this.sincePing >= FIRST_REPORT_PACKETS) this.done = true;
    this.sincePing = 0;
  }

  /** A new session with the relay: its loss is measured afresh. */
  restart(): void {
    this.sincePing = 0;
    this.done = false;
  }
}
