import { natPmpClient, upnpClient } from './gateway-client.js';
import type { MappingJournal } from './journal.js';
import { anyLanAddress, findLocalNetwork, type LocalNetwork } from './local-network.js';
import { PortMapper, type MappingStatus } from './port-mapper.js';
import { systemTimers } from '../shared/timers.js';

export { PortMapper, type MappingStatus } from './port-mapper.js';
export { fileJournal, memoryJournal, type MappingJournal } from './journal.js';
export { findLocalNetwork, type LocalNetwork } from './local-network.js';
export { reachability, type Reachability } from './reachability.js';

/** How long UPnP's SSDP search waits for a router to answer. */
const UPNP_DISCOVERY_MS = 1500;

export interface HomeRouterMapper {
  /** This machine's address on the home network (toward the default gateway, else its first IPv4), undefined with none. */
  lanAddress: string | undefined;
  /** null when asked not to map, or with no router to ask. */
  mapper: PortMapper | null;
}

/**
 * NAT-PMP first: it answers in one round trip where UPnP needs a search and two HTTP requests. With no
 * default gateway found (no network, or a system whose route table default-gateway cannot read), UPnP
 * alone: it finds the router by multicast and needs no gateway address.
 */
function mapperFor(network: LocalNetwork | undefined, journal: MappingJournal, onChange?: (status: MappingStatus) => void): PortMapper {
  const clients = network ? [natPmpClient(network.gateway), upnpClient(network.lanAddress, UPNP_DISCOVERY_MS)] : [upnpClient('', UPNP_DISCOVERY_MS)];
  return new PortMapper({ clients, journal, timers: systemTimers, ...(onChange ? { onChange } : {}) });
}

/**
 * The home router, for hosting: this machine's address on it and, when `map`
 * is set, a PortMapper (NAT-PMP, then UPnP IGD) whose `open` asks it to forward
 * a port, UDP and TCP. Every request is bounded: with no router answering,
 * `open` resolves `noRouter` in a few seconds.
 */
export async function homeRouter(journal: MappingJournal, map: boolean, onChange?: (status: MappingStatus) => void): Promise<HomeRouterMapper> {
  const network = await findLocalNetwork();
  return { lanAddress: network?.lanAddress ?? anyLanAddress(), mapper: map ? mapperFor(network, journal, onChange) : null };
}

/** Removes what the journal says a crashed run left mapped; nothing is sent when it lists nothing. */
export async function removeStaleMappings(journal: MappingJournal): Promise<number> {
  if (journal.read().length === 0) return 0;
  const mapper = mapperFor(await findLocalNetwork(), journal);
  try {
    return await mapper.removeStale();
  } finally {
    await mapper.close();
  }
}
