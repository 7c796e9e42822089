import type { Socket } from 'node:net';
import { isControl } from '../protocol/control.js';
import { isRtp } from '../protocol/rtp.js';
import { encodeFrame, FrameDecoder } from '../protocol/stream-framing.js';
import type { RelayCounters, StreamCutReason } from './counters.js';
import type { Endpoint, StreamLink } from './endpoint.js';
import type { StreamLimits } from './options.js';

/** What a connection hands its datagrams to: the relay's one entry point, as the UDP socket uses it. */
export interface DatagramSink {
  receive(datagram: Buffer, from: Endpoint): void;
}

/**
 * One TCP or TLS connection to the relay: unframes what arrives into
 * datagrams for the relay, frames what the relay sends back, and watches
 * itself for abuse. It is cut off, and the reason counted, for a frame too
 * large or empty, a frame that is neither RTP nor control, a partial frame
 * that does not complete in time, silence, and a reader so slow its queue
 * outgrows `maxQueuedBytes` (memory never grows for a peer that never reads).
 */
export class StreamConnection implements StreamLink {
  readonly endpoint: Endpoint;
  private readonly decoder = new FrameDecoder();
  private readonly openedAt: number;
  private lastFrameAt: number | undefined;
  private partialSince: number | undefined;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    address: string,
    port: number,
    private readonly sink: DatagramSink,
    private readonly limits: StreamLimits,
    private readonly counters: RelayCounters,
    now: number,
  ) {
    this.endpoint = { address, port, stream: this };
    this.openedAt = now;
    socket.setNoDelay(true);
  }

  /** Bytes that came in; `now` is the relay clock's. Never throws. */
  onData(chunk: Buffer, now: number): void {
    if (this.closed) return;
    const { frames, error } = this.decoder.push(chunk);
    for (const frame of frames) {
      // Everything the relay understands starts as RTP or control; anything else means the peer is not a Parley client.
      if (!isRtp(frame) && !isControl(frame)) return this.cut('garbage');
      this.sink.receive(frame, this.endpoint);
      if (this.closed) return;
    }
    if (error) return this.cut(error.reason);
    if (frames.length > 0) this.lastFrameAt = now;
    if (this.decoder.partialBytes === 0) this.partialSince = undefined;
    else if (frames.length > 0 || this.partialSince === undefined) this.partialSince = now;
  }

  /** Cuts the connection if it has dawdled past a limit. */
  sweep(now: number): void {
    if (this.closed) return;
    if (this.partialSince !== undefined && now - this.partialSince >= this.limits.partialFrameMs) return this.cut('slow_sender');
    if (this.lastFrameAt === undefined ? now - this.openedAt >= this.limits.firstFrameMs : now - this.lastFrameAt >= this.limits.idleMs) {
      return this.cut('idle');
    }
  }

  send(datagram: Buffer): void {
    if (this.closed) {
      this.counters.streamSendsDropped++;
      return;
    }
    if (this.socket.writableLength + datagram.length > this.limits.maxQueuedBytes) return this.cut('slow_reader');
    this.socket.write(encodeFrame(datagram));
  }

  cut(reason: StreamCutReason): void {
    if (this.closed) return;
    this.counters.cutStream(reason);
    this.closed = true;
    this.socket.destroy();
  }

  /** Closes without blame: what is queued (a BYE, say) still leaves, then the socket goes within a second. */
  close(): void {
    this.closed = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }
}
