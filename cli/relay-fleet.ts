import type { Logger } from 'pino';
import { openAgonesSdk } from '../server/fleet/agones.js';
import { FleetAgent } from '../server/fleet/fleet-agent.js';
import type { RelayHandle } from '../server/index.js';
import { systemTimers } from '../server/shared/timers.js';

/**
 * `--agones`: tells the pod's Agones SDK sidecar the relay is ready (its
 * socket is bound by now). When the sidecar is absent the relay stops again
 * and the error says so, rather than running unseen by the fleet.
 */
export async function joinAgonesFleet(relay: RelayHandle, logger: Logger): Promise<FleetAgent> {
  try {
    return await FleetAgent.start(await openAgonesSdk(), relay, systemTimers, logger);
  } catch (error) {
    await relay.close();
    throw error;
  }
}
