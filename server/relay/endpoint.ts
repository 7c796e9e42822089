/**
 * A member's or a stranger's end of the conversation: the address and port a
 * datagram came from, and, when it came over a stream (TCP, TLS), that
 * stream, which is then the only way back. A UDP endpoint has no stream.
 */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
  readonly stream?: StreamLink | undefined;
  /**
   * Set on a control datagram that a worker received from the address of the member it names and
   * already charged to that member's budget, which lives where the member's datagrams arrive.
   */
  readonly budgetSpent?: boolean;
}

/** One stream connection, as the relay's units see it: a way to send a datagram back. */
export interface StreamLink {
  /** Queues one datagram, framed; dropped (and counted) when the connection is gone or its reader is too slow. */
  send(datagram: Buffer): void;
}

/** Whether two endpoints are the same: same stream (or both none), same address and port. */
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.stream === b.stream && a.port === b.port && a.address === b.address;
}
