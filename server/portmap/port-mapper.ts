import type { GatewayClient, GatewayLease, GatewayMethod, MappingProtocol } from './gateway-client.js';
import type { JournalEntry, MappingJournal } from './journal.js';
import { withDeadline, type TimerHandle, type Timers } from '../shared/timers.js';

/** What the router did with our request, as the hosting panel and `parley relay --map-port` report it. */
export type MappingStatus =
  | { state: 'mapping' }
  | { state: 'mapped'; method: GatewayMethod; externalAddress: string; udpPort: number; tcpPort: number | null }
  /** A router answered but would not map the port (or stopped renewing it). */
  | { state: 'refused'; method: GatewayMethod; externalAddress: string | null; reason: string }
  | { state: 'noRouter' };

export interface PortMapperOptions {
  /** The clients to try, in order: the first that maps the UDP port wins. */
  clients: readonly GatewayClient[];
  journal: MappingJournal;
  timers: Timers;
  /** The lifetime asked for; routers may grant less, and renewal follows what they grant. */
  lifetimeS?: number;
  /** Longest wait for any one answer from the router. */
  requestMs?: number;
  description?: string;
  onChange?: (status: MappingStatus) => void;
}

export const DEFAULT_LIFETIME_S = 7200;
export const DEFAULT_REQUEST_MS = 2000;
/** After a failed renewal, try again this soon (while the lease still runs). */
export const RENEW_RETRY_MS = 30_000;
/** UPnP grants exactly the port asked for or refuses; on a refusal these next ports are tried. */
export const UPNP_PORT_TRIES = 3;

interface Held {
  client: GatewayClient;
  lease: GatewayLease;
  /** When the lease runs out (timers.now() milliseconds); Infinity for a permanent one. */
  expiresAt: number;
  renewal: TimerHandle | undefined;
}

/**
 * Asks the router to forward a port (UDP, and TCP on the same number) to this
 * machine, renews the lease at half its lifetime, and removes the mapping on
 * close. What it holds is written to a journal, so a mapping left by a crash
 * is removed at the next start. Every request to the router is bounded in time:
 * a router that never answers costs at most `requestMs` per question.
 */
export class PortMapper {
  private status: MappingStatus = { state: 'mapping' };
  private held: Held[] = [];
  private closed = false;
  private readonly listeners: ((status: MappingStatus) => void)[] = [];
  private readonly lifetimeS: number;
  private readonly requestMs: number;
  private readonly description: string;

  constructor(private readonly options: PortMapperOptions) {
    this.lifetimeS = options.lifetimeS ?? DEFAULT_LIFETIME_S;
    this.requestMs = options.requestMs ?? DEFAULT_REQUEST_MS;
    this.description = options.description ?? 'Parley';
  }

  get current(): MappingStatus {
    return this.status;
  }

  /** Hears every later change of state (a lease the router stopped renewing, a moved port). */
  onChange(listener: (status: MappingStatus) => void): void {
    this.listeners.push(listener);
  }

  /** Removes what the journal says an earlier run left mapped, through whichever client speaks its method. */
  async removeStale(): Promise<number> {
    const stale = this.options.journal.read();
    let removed = 0;
    for (const entry of stale) {
      const client = this.options.clients.find((c) => c.method === entry.method);
      if (!client) continue;
      try {
        await this.ask(client.unmap({ ...entry, lifetimeS: 0 }), 'removing a mapping left by an earlier run');
        removed += 1;
      } catch {
        // The router may have dropped it already (it expired, or the router restarted).
      }
    }
    this.options.journal.write([]);
    return removed;
  }

  /** Maps `port`; resolves with the outcome (never rejects, never waits past the bounds). */
  async open(port: number): Promise<MappingStatus> {
    await this.removeStale();
    let refusal: Extract<MappingStatus, { state: 'refused' }> | undefined;
    for (const client of this.options.clients) {
      if (this.closed) break;
      const externalAddress = await this.ask(client.externalAddress(), 'asking the router for its address').catch(() => null);
      const udp = await this.mapOne(client, 'UDP', port, port);
      if (!udp.lease) {
        // An answer of any kind (an address, or a refusal rather than silence) means a router is there.
        if (externalAddress !== null || !udp.silent) refusal ??= { state: 'refused', method: client.method, externalAddress, reason: udp.reason };
        continue;
      }
      this.hold(client, udp.lease);
      const tcp = await this.mapOne(client, 'TCP', port, udp.lease.externalPort);
      if (tcp.lease) this.hold(client, tcp.lease);
      if (this.closed) break;
      // Where the router could not say its address, the mapping is still real, but no one can be told where it is.
      if (externalAddress === null) {
        refusal = { state: 'refused', method: client.method, externalAddress: null, reason: 'the router did not say its public address' };
        break;
      }
      this.setStatus({ state: 'mapped', method: client.method, externalAddress, udpPort: udp.lease.externalPort, tcpPort: tcp.lease?.externalPort ?? null });
      return this.status;
    }
    if (!this.closed) this.setStatus(refusal ?? { state: 'noRouter' });
    return this.status;
  }

  /** Stops renewing and removes every mapping held (each removal bounded in time). */
  async close(): Promise<void> {
    this.closed = true;
    const held = this.held;
    this.held = [];
    for (const entry of held) if (entry.renewal) this.options.timers.clearTimeout(entry.renewal);
    for (const entry of held) {
      await this.ask(entry.client.unmap(entry.lease), 'removing the mapping').catch(() => undefined);
    }
    this.options.journal.write([]);
    await Promise.all(this.options.clients.map((client) => client.close().catch(() => undefined)));
  }

  private async mapOne(client: GatewayClient, protocol: MappingProtocol, internalPort: number, externalPort: number): Promise<{ lease?: GatewayLease; reason: string; silent: boolean }> {
    const tries = client.method === 'UPnP' ? UPNP_PORT_TRIES : 1;
    let last = { reason: 'no answer', silent: true };
    for (let i = 0; i < tries && !this.closed; i++) {
      const wanted = externalPort + i > 65535 ? externalPort - i : externalPort + i;
      try {
        const lease = await this.ask(client.map({ protocol, internalPort, externalPort: wanted, lifetimeS: this.lifetimeS, description: this.description }), `mapping ${protocol} ${internalPort}`);
        return { lease, reason: '', silent: false };
      } catch (error) {
        const silent = error instanceof Error && error.name === 'DeadlineError';
        last = { reason: error instanceof Error ? error.message : String(error), silent };
        // Silence will not turn into an answer for the next port.
        if (silent) break;
      }
    }
    return last;
  }

  private hold(client: GatewayClient, lease: GatewayLease): void {
    if (this.closed) {
      // Granted after close() began: remove it at once rather than leave it on the router.
      void this.ask(client.unmap(lease), 'removing the mapping').catch(() => undefined);
      return;
    }
    const entry: Held = { client, lease, expiresAt: this.expiry(lease), renewal: undefined };
    this.held.push(entry);
    this.writeJournal();
    this.scheduleRenewal(entry, lease.lifetimeS > 0 ? (lease.lifetimeS * 1000) / 2 : undefined);
  }

  private expiry(lease: GatewayLease): number {
    return lease.lifetimeS > 0 ? this.options.timers.now() + lease.lifetimeS * 1000 : Number.POSITIVE_INFINITY;
  }

  private scheduleRenewal(entry: Held, inMs: number | undefined): void {
    entry.renewal = inMs === undefined ? undefined : this.options.timers.setTimeout(() => void this.renew(entry), inMs);
  }

  private async renew(entry: Held): Promise<void> {
    entry.renewal = undefined;
    const { lease, client } = entry;
    try {
      const renewed = await this.ask(
        client.map({ protocol: lease.protocol, internalPort: lease.internalPort, externalPort: lease.externalPort, lifetimeS: this.lifetimeS, description: this.description }),
        'renewing the mapping',
      );
      if (this.closed || !this.held.includes(entry)) return;
      entry.lease = renewed;
      entry.expiresAt = this.expiry(renewed);
      this.writeJournal();
      if (renewed.externalPort !== lease.externalPort) this.portMoved(entry);
      this.scheduleRenewal(entry, renewed.lifetimeS > 0 ? (renewed.lifetimeS * 1000) / 2 : undefined);
    } catch (error) {
      if (this.closed || !this.held.includes(entry)) return;
      const left = entry.expiresAt - this.options.timers.now();
      if (left > RENEW_RETRY_MS) {
        this.scheduleRenewal(entry, RENEW_RETRY_MS);
        return;
      }
      // The lease has run out (or will before another try): friends outside can no longer reach us.
      this.held = this.held.filter((h) => h !== entry);
      this.writeJournal();
      if (lease.protocol === 'UDP') {
        const externalAddress = this.status.state === 'mapped' ? this.status.externalAddress : null;
        this.setStatus({ state: 'refused', method: client.method, externalAddress, reason: `the router stopped renewing the mapping (${error instanceof Error ? error.message : String(error)})` });
      } else if (this.status.state === 'mapped') {
        this.setStatus({ ...this.status, tcpPort: null });
      }
    }
  }

  /** A NAT-PMP router may move the public port when renewing: what friends are told follows it. */
  private portMoved(entry: Held): void {
    if (this.status.state !== 'mapped') return;
    const port = entry.lease.externalPort;
    this.setStatus(entry.lease.protocol === 'UDP' ? { ...this.status, udpPort: port } : { ...this.status, tcpPort: port });
  }

  private writeJournal(): void {
    const entries: JournalEntry[] = this.held.map(({ client, lease }) => ({ method: client.method, protocol: lease.protocol, internalPort: lease.internalPort, externalPort: lease.externalPort }));
    try {
      this.options.journal.write(entries);
    } catch {
      // A journal that cannot be written costs only the clean-up after a crash; the mapping itself stands.
    }
  }

  private ask<T>(work: Promise<T>, what: string): Promise<T> {
    return withDeadline(work, this.requestMs, this.options.timers, what);
  }

  private setStatus(status: MappingStatus): void {
    this.status = status;
    this.options.onChange?.(status);
    for (const listener of this.listeners) listener(status);
  }
}
