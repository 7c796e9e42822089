import type { Logger } from 'pino';
import { DeadlineError, withDeadline, type TimerHandle, type Timers } from '../shared/timers.js';
import type { GameServerSdk } from './game-server-sdk.js';

/** What the agent reads of the relay: RelayHandle's health() gives it. */
export interface FleetRelay {
  health(): { live: boolean; members: number };
}

export interface FleetAgentOptions {
  /** How often the agent pings health and refreshes the member label; Agones' default health period is 5 s. */
  healthEveryMs: number;
  /** How long to wait for the SDK server before saying it is not there. */
  connectTimeoutMs: number;
}

export const DEFAULT_FLEET_AGENT_OPTIONS: FleetAgentOptions = { healthEveryMs: 2_000, connectTimeoutMs: 5_000 };

/** The label (Agones shows it as `agones.dev/sdk-members`) holding how many members the relay serves. */
export const MEMBERS_LABEL = 'members';

/** The SDK server could not be reached or refused a call: said in one sentence, for the relay's stderr. */
export class FleetAgentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FleetAgentError';
  }
}

/**
 * The relay's side of a fleet: once the socket is bound it says ready, then
 * pings health from a timer on the event loop (so a stalled loop, which the
 * relay's own watch also reports, stops the pings and gets the pod replaced),
 * and keeps the member count in a label; after the drain it says shutdown.
 */
export class FleetAgent {
  private timer: TimerHandle | undefined;
  private labelled: number | undefined;
  private labelling = false;

  private constructor(
    private readonly sdk: GameServerSdk,
    private readonly relay: FleetRelay,
    private readonly options: FleetAgentOptions,
    private readonly timers: Timers,
    private readonly log: Logger,
  ) {}

  /** Connects, says ready and starts the pings; throws a FleetAgentError (the SDK closed) if the SDK server is absent. */
  static async start(sdk: GameServerSdk, relay: FleetRelay, timers: Timers, log: Logger, options: FleetAgentOptions = DEFAULT_FLEET_AGENT_OPTIONS): Promise<FleetAgent> {
    try {
      await withDeadline(sdk.connect(), options.connectTimeoutMs, timers, 'Agones SDK server');
    } catch (error) {
      sdk.close();
      const why = error instanceof DeadlineError ? `within ${options.connectTimeoutMs / 1000} s` : `(${String(error)})`;
      throw new FleetAgentError(
        `--agones: no Agones SDK server answered on ${sdk.address} ${why}; run the relay in an Agones GameServer pod (its SDK sidecar serves that port), or leave out --agones.`,
        { cause: error },
      );
    }
    const agent = new FleetAgent(sdk, relay, options, timers, log);
    try {
      await sdk.ready();
    } catch (error) {
      sdk.close();
      throw new FleetAgentError(`--agones: the Agones SDK server refused ready(): ${String(error)}`, { cause: error });
    }
    log.info({ sdk: sdk.address }, 'told Agones the relay is ready');
    agent.beat();
    return agent;
  }

  /** After the drain: no more pings, and Agones may delete the pod. Never throws: the relay is stopping anyway. */
  async finish(): Promise<void> {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.sdk.shutdown();
      this.log.info('told Agones the relay has shut down');
    } catch (error) {
      this.log.warn({ err: error }, 'the Agones SDK server refused shutdown()');
    } finally {
      this.sdk.close();
    }
  }

  private beat(): void {
    const { live, members } = this.relay.health();
    // A relay whose loop stalls beyond its bound stays silent, as a frozen one would: Agones then marks it unhealthy.
    if (live) this.sdk.health((error) => this.log.warn({ err: error }, 'Agones health ping failed'));
    if (members !== this.labelled) this.label(members);
    this.timer = this.timers.setTimeout(() => this.beat(), this.options.healthEveryMs);
  }

  /** One label update at a time: a slow SDK server gets the latest count, not a queue of stale ones. */
  private label(members: number): void {
    if (this.labelling) return;
    this.labelling = true;
    this.sdk.setLabel(MEMBERS_LABEL, String(members)).then(
      () => {
        this.labelled = members;
        this.labelling = false;
      },
      (error: unknown) => {
        this.labelling = false;
        this.log.warn({ err: error }, 'Agones refused the member label');
      },
    );
  }
}
