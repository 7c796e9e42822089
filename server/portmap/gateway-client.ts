import NatPmpClient from '@silentbot1/nat-api/lib/pmp/index.js';
import NatUpnpClient from '@silentbot1/nat-api/lib/upnp/index.js';

export type MappingProtocol = 'UDP' | 'TCP';
/** How the router was asked. PCP routers answer NAT-PMP requests too (RFC 6887, section 9). */
export type GatewayMethod = 'NAT-PMP' | 'UPnP';

export interface MappingRequest {
  protocol: MappingProtocol;
  internalPort: number;
  /** The port friends would use; the router may give another. */
  externalPort: number;
  lifetimeS: number;
  description: string;
}

/** What the router granted. A lifetime of 0 is a permanent mapping (some UPnP routers allow no other). */
export interface GatewayLease {
  protocol: MappingProtocol;
  internalPort: number;
  externalPort: number;
  lifetimeS: number;
}

/** One way of talking to the router. Every call may reject: the caller bounds its time. */
export interface GatewayClient {
  readonly method: GatewayMethod;
  externalAddress(): Promise<string>;
  map(request: MappingRequest): Promise<GatewayLease>;
  unmap(lease: GatewayLease): Promise<void>;
  close(): Promise<void>;
}

/** NAT-PMP through @silentbot1/nat-api: the router answers with the port and lifetime it granted. */
export function natPmpClient(gateway: string): GatewayClient {
  const client = new NatPmpClient(gateway);
  // A socket error (no route to the gateway) must not become an uncaught 'error' event.
  client.on('error', () => undefined);
  return {
    method: 'NAT-PMP',
    externalAddress: () => client.externalIp(),
    async map(request) {
      const type = request.protocol === 'UDP' ? 'udp' : 'tcp';
      const granted = await client.portMapping({ private: request.internalPort, public: request.externalPort, ttl: request.lifetimeS, type, description: request.description });
      return { protocol: request.protocol, internalPort: granted.private, externalPort: granted.public, lifetimeS: granted.ttl };
    },
    async unmap(lease) {
      await client.portUnmapping({ private: lease.internalPort, public: 0, type: lease.protocol === 'UDP' ? 'udp' : 'tcp' });
    },
    close: () => client.close(),
  };
}

/**
 * UPnP IGD v1 or v2 through @silentbot1/nat-api: AddPortMapping grants exactly the port asked for, or refuses.
 * An empty `internalHost` maps to the address the router's SSDP answer arrived on.
 */
export function upnpClient(internalHost: string, discoveryMs: number): GatewayClient {
  // permanentFallback: a router that only allows permanent leases (error 725) is asked again for one.
  const client = new NatUpnpClient({ permanentFallback: true });
  client.timeout = discoveryMs;
  return {
    method: 'UPnP',
    externalAddress: () => client.externalIp(),
    async map(request) {
      await client.portMapping({
        public: request.externalPort,
        private: { host: internalHost, port: request.internalPort },
        protocol: request.protocol,
        description: request.description,
        ttl: request.lifetimeS,
      });
      // AddPortMapping does not say whether the permanent fallback was taken: renewing such a lease is harmless.
      return { protocol: request.protocol, internalPort: request.internalPort, externalPort: request.externalPort, lifetimeS: request.lifetimeS };
    },
    async unmap(lease) {
      await client.portUnmapping({ public: lease.externalPort, protocol: lease.protocol });
    },
    close: async () => {
      await client.destroy();
    },
  };
}
