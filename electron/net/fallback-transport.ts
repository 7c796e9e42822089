import { encodeControl } from '../../server/protocol/control.js';
import { CLIENT_NONCE_BYTES, randomBytes } from '../../server/protocol/crypto.js';
import { isRtp } from '../../server/protocol/rtp.js';
import { systemClock, type Clock } from '../../server/shared/clock.js';
import { TransportHandlers, type DatagramTransport, type TransportKind } from './datagram-transport.js';
import { DEFAULT_PATH_TIMING, PathPolicy, type PathDecision, type PathTiming } from './path-policy.js';
import { TcpTransport } from './tcp-transport.js';
import { UdpTransport, type RelayAddress } from './udp-transport.js';

/** How often the path is reconsidered: well inside the 1.5 s that decides it. */
const TICK_MS = 50;

/** After moving back to UDP the stream stays open this long, so what the relay sent down it meanwhile still arrives. */
const TCP_LINGER_MS = 2_000;

/**
 * UDP to the relay, with TCP behind it for networks that block UDP: sends
 * go the way PathPolicy chooses, datagrams are taken from both, and while on
 * TCP a HELLO goes over UDP now and then to learn whether it works again.
 * `onSwitch` tells the session, which then sends a sealed message the new
 * way: that moves its membership there (a roam, as far as the relay knows).
 */
export class FallbackTransport extends TransportHandlers implements DatagramTransport {
  private tcp: TcpTransport | undefined;
  private switchHandler: (to: TransportKind) => void = () => {};
  private readonly policy: PathPolicy;
  private readonly timer: NodeJS.Timeout;
  private lastControl: Uint8Array | undefined;
  private everHeard = false;
  private lingerTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly udp: UdpTransport,
    timing: PathTiming,
    private readonly clock: Clock,
  ) {
    super();
    this.policy = new PathPolicy(timing);
    udp.onDatagram((datagram) => {
      this.act(this.policy.heardOverUdp(this.clock.now()));
      this.deliver(datagram);
    });
    udp.onError((error) => {
      if (this.policy.path === 'udp') this.errorHandler(error);
    });
    this.timer = setInterval(() => this.act(this.policy.tick(this.clock.now())), TICK_MS);
    this.timer.unref();
  }

  static async open(target: RelayAddress, timing: PathTiming = DEFAULT_PATH_TIMING, clock: Clock = systemClock): Promise<FallbackTransport> {
    return new FallbackTransport(await UdpTransport.open(target), timing, clock);
  }

  get kind(): TransportKind {
    return this.policy.path;
  }

  get relay(): RelayAddress {
    return this.udp.relay;
  }

  /** Called with the new way whenever sends move to it. */
  onSwitch(handler: (to: TransportKind) => void): void {
    this.switchHandler = handler;
  }

  /** The session saw media stop while control still flows: UDP carries only part of what it should. */
  mediaStalled(): void {
    this.act(this.policy.mediaStalled(this.clock.now()));
  }

  private deliver(datagram: Buffer): void {
    this.everHeard = true;
    this.handler(datagram);
  }

  private act(decision: PathDecision): void {
    if (decision.kind === 'probe') {
      this.udp.send(encodeControl({ type: 'hello', clientNonce: randomBytes(CLIENT_NONCE_BYTES) }));
    } else if (decision.kind === 'switch') {
      if (decision.to === 'tcp') this.toTcp();
      else this.toUdp();
      this.switchHandler(decision.to);
    } else if (this.policy.path === 'tcp' && this.tcp && !this.tcp.open) {
      this.act(this.policy.tcpFailed(this.clock.now()));
    }
  }

  private toTcp(): void {
    clearTimeout(this.lingerTimer);
    if (!this.tcp) {
      this.tcp = new TcpTransport(this.udp.relay);
      this.tcp.onDatagram((datagram) => this.deliver(datagram));
      this.tcp.onError(() => {}); // a refused or reset stream shows as the stream closing, which the tick acts on
    } else if (!this.tcp.open) {
      this.tcp.reconnect();
    }
    // A handshake under way need not wait for its next retry to try the new way.
    if (!this.everHeard && this.lastControl) this.tcp.send(this.lastControl);
  }

  private toUdp(): void {
    const tcp = this.tcp;
    if (!tcp) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => {
      if (this.policy.path === 'udp') tcp.close();
    }, TCP_LINGER_MS);
    this.lingerTimer.unref();
  }

  send(datagram: Uint8Array): void {
    if (!isRtp(datagram)) this.lastControl = datagram;
    if (this.policy.path === 'tcp' && this.tcp) return this.tcp.send(datagram);
    this.policy.sentOverUdp(this.clock.now());
    this.udp.send(datagram);
  }

  private get active(): DatagramTransport {
    return this.policy.path === 'tcp' && this.tcp ? this.tcp : this.udp;
  }

  get localPort(): number | undefined {
    return this.active.localPort;
  }

  get relayAddress(): string {
    return this.udp.relayAddress;
  }

  get sent(): number {
    return this.udp.sent + (this.tcp?.sent ?? 0);
  }

  get bytesSent(): number {
    return this.udp.bytesSent + (this.tcp?.bytesSent ?? 0);
  }

  get received(): number {
    return this.udp.received + (this.tcp?.received ?? 0);
  }

  get bytesReceived(): number {
    return this.udp.bytesReceived + (this.tcp?.bytesReceived ?? 0);
  }

  /** Media pushed out of the TCP send queue so as not to build delay. */
  get droppedMedia(): number {
    return this.tcp?.droppedMedia ?? 0;
  }

  rebind(): Promise<void> {
    return this.active.rebind();
  }

  close(): void {
    clearInterval(this.timer);
    clearTimeout(this.lingerTimer);
    this.udp.close();
    this.tcp?.close();
  }
}
