/**
 * The parts of @silentbot1/nat-api (and of default-gateway, which it uses too)
 * that Parley calls. Neither package ships types; these say only what their
 * source does.
 */
declare module '@silentbot1/nat-api/lib/pmp/index.js' {
  /** NAT-PMP (RFC 6886) to the given gateway, port 5351. Never times out on its own. */
  export default class NatPmpClient {
    constructor(gateway: string);
    portMapping(options: { private: number; public: number; ttl: number; type: 'udp' | 'tcp'; description?: string }): Promise<{ private: number; public: number; ttl: number; resultCode: number }>;
    portUnmapping(options: { private: number; public: number; ttl?: number; type: 'udp' | 'tcp' }): Promise<unknown>;
    externalIp(): Promise<string>;
    close(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}

declare module '@silentbot1/nat-api/lib/upnp/index.js' {
  /** UPnP IGD: finds the gateway by SSDP, then WANIPConnection:1/2 or WANPPPConnection:1 over SOAP. */
  export default class NatUpnpClient {
    constructor(options?: { permanentFallback?: boolean });
    timeout: number;
    portMapping(options: { public: number; private: { host: string; port: number } | number; protocol: 'UDP' | 'TCP'; description: string; ttl: number }): Promise<unknown>;
    portUnmapping(options: { public: number; private?: number; protocol: 'UDP' | 'TCP' }): Promise<unknown>;
    externalIp(): Promise<string>;
    findGateway(): Promise<{ address: string }>;
    destroy(): Promise<unknown>;
  }
}

declare module 'default-gateway' {
  export function gateway4async(): Promise<{ gateway: string; version: number; int: string | null }>;
  export function gateway6async(): Promise<{ gateway: string; version: number; int: string | null }>;
}
