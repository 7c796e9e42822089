import { natPmpClient, upnpClient } from './gateway-client.js';
import type { MappingJournal } from './journal.js';
import { findLocalNetwork } from './local-network.js';
import { PortMapper, type MappingStatus } from './port-mapper.js';
import { systemTimers } from './timers.js';

export { PortMapper, type MappingStatus } from './port-mapper.js';
export { fileJournal, memoryJournal, type MappingJournal } from './journal.js';
export { findLocalNetwork, type LocalNetwork } from './local-network.js';
export { reachability, type Reachability } from './reachability.js';

/** How long UPnP's SSDP search waits for a router to answer. */
const UPNP_DISCOVERY_MS = 1500;

export interface HomeRouterMapping {
  mapper: PortMapper;
  /** This machine's address on the home network, undefined with no default route. */
  lanAddress: string | undefined;
  status: MappingStatus;
}

/**
 * Asks the home router (NAT-PMP first, it answers in one round trip; then UPnP
 * IGD) to forward `port`, UDP and TCP. Bounded: with no router at all it
 * resolves in a few seconds with `noRouter`.
 */
export async function mapPortOnHomeRouter(port: number, journal: MappingJournal, onChange?: (status: MappingStatus) => void): Promise<HomeRouterMapping> {
  const network = await findLocalNetwork();
  if (!network) {
    const mapper = new PortMapper({ clients: [], journal, timers: systemTimers });
    return { mapper, lanAddress: undefined, status: await mapper.open(port) };
  }
  const clients = [natPmpClient(network.gateway), upnpClient(network.lanAddress, UPNP_DISCOVERY_MS)];
  const mapper = new PortMapper({ clients, journal, timers: systemTimers, ...(onChange ? { onChange } : {}) });
  return { mapper, lanAddress: network.lanAddress, status: await mapper.open(port) };
}
