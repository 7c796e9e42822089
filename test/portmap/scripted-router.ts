import type { GatewayClient, GatewayLease, GatewayMethod, MappingRequest } from '../../server/portmap/gateway-client.js';

/**
 * A stand-in for a router, for the port mapper's timing and decisions on a
 * simulated clock (the real router, miniupnpd, is in test/portmap/home-router.test.ts).
 * Each answer is scripted: grant, refuse, or never answer.
 */
export type Answer = { grant: { externalPort?: number; lifetimeS?: number } } | { refuse: string } | 'silence';

export class ScriptedRouter implements GatewayClient {
  readonly requests: string[] = [];
  mapAnswers: Answer[] = [];
  /** Used when `mapAnswers` runs out. */
  defaultMap: Answer = { grant: {} };
  address: string | 'silence' | { refuse: string } = '198.51.100.7';
  closed = false;

  constructor(readonly method: GatewayMethod) {}

  externalAddress(): Promise<string> {
    this.requests.push('address');
    const address = this.address;
    if (address === 'silence') return never();
    if (typeof address !== 'string') return Promise.reject(new Error(address.refuse));
    return Promise.resolve(address);
  }

  map(request: MappingRequest): Promise<GatewayLease> {
    this.requests.push(`map ${request.protocol} ${request.internalPort}->${request.externalPort} ${request.lifetimeS}s`);
    const answer = this.mapAnswers.shift() ?? this.defaultMap;
    if (answer === 'silence') return never();
    if ('refuse' in answer) return Promise.reject(new Error(answer.refuse));
    return Promise.resolve({
      protocol: request.protocol,
      internalPort: request.internalPort,
      externalPort: answer.grant.externalPort ?? request.externalPort,
      lifetimeS: answer.grant.lifetimeS ?? request.lifetimeS,
    });
  }

  unmap(lease: GatewayLease): Promise<void> {
    this.requests.push(`unmap ${lease.protocol} ${lease.externalPort}`);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
