import type { Logger } from 'pino';
import { formatAddress } from '../../server/shared/address.js';
import { RelayStartError, shareableAddresses, startRelay, type RelayHandle } from '../../server/index.js';
import type { HostingView } from '../api/contract.js';
import { formatInvite, generateRoomSecret } from './invite.js';

export interface Hosting {
  relay: RelayHandle;
  secret: string;
  password: string | undefined;
  view: HostingView;
  /** Where this app itself connects: the relay on this machine. */
  local: { host: string; port: number };
}

export class HostingError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostingError';
  }
}

/**
 * "Host a room": starts the embedded relay and works out what friends need
 * to join it, the addresses and an invite carrying the room and its secret.
 */
export async function startHosting(request: { port: number; room: string; password?: string | undefined }, logger: Logger, bindHost?: string): Promise<Hosting> {
  const secret = generateRoomSecret();
  let relay: RelayHandle;
  try {
    // The relay keeps this room's secret so a friend who joins by plain address (no invite) is given it.
    relay = await startRelay({
      host: bindHost,
      port: request.port,
      password: request.password,
      roomSecrets: { [request.room]: secret },
      logger: logger.child({ component: 'relay' }),
    });
  } catch (error) {
    if (error instanceof RelayStartError) {
      const message =
        error.code === 'portInUse'
          ? `Port ${request.port} is already in use on this computer (another Parley or program is hosting on it). Choose another port.`
          : error.message;
      throw new HostingError(error.code, message);
    }
    throw error;
  }
  const { host, port } = relay.address;
  const addresses = shareableAddresses(host, port);
  // With no network at all, the invite still works for someone on this same machine.
  const inviteAddress = addresses[0] ?? formatAddress('127.0.0.1', port);
  const inviteHost = inviteAddress.startsWith('[') ? inviteAddress.slice(1, inviteAddress.lastIndexOf(']')) : inviteAddress.slice(0, inviteAddress.lastIndexOf(':'));
  return {
    relay,
    secret,
    password: request.password,
    local: { host: host === '::' || host === '0.0.0.0' ? '127.0.0.1' : host, port },
    view: {
      port,
      addresses,
      invite: formatInvite({ host: inviteHost, port, room: request.room, secret, password: request.password }),
      passwordSet: Boolean(request.password),
    },
  };
}
