import type { Logger } from 'pino';
import { isIPv4 } from 'node:net';
import { reachability, type MappingStatus, type PortMapper } from '../../server/portmap/index.js';
import { formatAddress } from '../../server/shared/address.js';
import { RelayStartError, shareableAddresses, startRelay, type RelayHandle } from '../../server/index.js';
import type { HostingView } from '../api/contract.js';
import { formatInvite, generateRoomSecret } from './invite.js';

/**
 * The home router as hosting needs it: this machine's address on the home
 * network and, when the host lets Parley ask, a PortMapper for its port.
 */
export interface HomeRouter {
  lanAddress: string | undefined;
  /** null when the host chose not to ask the router ("Ask my router to open the port" off). */
  mapper: PortMapper | null;
}

/** Finds the home router; `onChange` hears every change of the mapping's state (a lost lease too). */
export type HomeRouterAccess = (onChange: (status: MappingStatus) => void) => Promise<HomeRouter>;

export class HostingError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostingError';
  }
}

interface HostingRequest {
  port: number;
  room: string;
  password?: string | undefined;
}

/**
 * "Host a room": the embedded relay, what friends need to join it (the
 * addresses and an invite carrying the room and its secret), and the port
 * mapping on the home router, which runs beside the call: Host never waits
 * for the router, and the view follows what the router answers.
 */
export class Hosting {
  private mapping: MappingStatus | 'off' = 'off';
  private router: HomeRouter | undefined;
  private stopped = false;

  private constructor(
    readonly relay: RelayHandle,
    readonly secret: string,
    private readonly request: HostingRequest,
    private readonly changed: () => void,
  ) {}

  static async start(request: HostingRequest, logger: Logger, bindHost: string | undefined, routerAccess: HomeRouterAccess | null, changed: () => void): Promise<Hosting> {
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
    const hosting = new Hosting(relay, secret, request, changed);
    // A relay bound to loopback is for this computer only: no router is asked about it.
    if (routerAccess && !isLoopback(relay.address.host)) {
      hosting.mapping = { state: 'mapping' };
      void hosting.askRouter(routerAccess, logger);
    }
    return hosting;
  }

  get password(): string | undefined {
    return this.request.password;
  }

  /** Where this app itself connects: the relay on this machine. */
  get local(): { host: string; port: number } {
    const { host, port } = this.relay.address;
    return { host: host === '::' || host === '0.0.0.0' ? '127.0.0.1' : host, port };
  }

  get view(): HostingView {
    const { host, port } = this.relay.address;
    const local = shareableAddresses(host, port);
    const lanAddress = this.router?.lanAddress ?? (isLoopback(host) ? undefined : local.map(hostOf).find((h) => isIPv4(h)));
    const verdict = reachability({ port, lanAddress, mapping: this.mapping });
    // The public address goes first: it is the one that works from anywhere (and on the home network too, mostly).
    const addresses = verdict.publicAddress ? [verdict.publicAddress, ...local.filter((a) => a !== verdict.publicAddress)] : local;
    // With no network at all, the invite still works for someone on this same machine.
    const inviteAddress = addresses[0] ?? formatAddress('127.0.0.1', port);
    return {
      port,
      addresses,
      invite: formatInvite({ host: hostOf(inviteAddress), port: portOf(inviteAddress), room: this.request.room, secret: this.secret, password: this.request.password }),
      passwordSet: Boolean(this.request.password),
      reachability: { verdict: verdict.verdict, message: verdict.message },
    };
  }

  /** Closes the relay and removes the router's mapping (bounded: a silent router does not hold this up). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.relay.close(), this.router?.mapper?.close()]);
  }

  private async askRouter(routerAccess: HomeRouterAccess, logger: Logger): Promise<void> {
    try {
      const router = await routerAccess((status) => {
        this.mapping = status;
        this.changed();
      });
      this.router = router;
      if (this.stopped) {
        await router.mapper?.close();
        return;
      }
      if (!router.mapper) {
        this.mapping = 'off';
        this.changed();
        return;
      }
      const status = await router.mapper.open(this.relay.address.port);
      logger.info({ portMapping: status }, 'port mapping');
    } catch (error) {
      // Asking the router is a courtesy: whatever goes wrong, the room on the home network stands.
      logger.warn({ err: error }, 'port mapping failed');
      this.mapping = { state: 'noRouter' };
      this.changed();
    }
  }
}

function isLoopback(host: string): boolean {
  return host === '::1' || host.startsWith('127.');
}

function hostOf(address: string): string {
  return address.startsWith('[') ? address.slice(1, address.lastIndexOf(']')) : address.slice(0, address.lastIndexOf(':'));
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}
