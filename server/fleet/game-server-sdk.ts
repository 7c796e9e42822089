/**
 * What a relay in a fleet tells the orchestrator that runs it. Agones' SDK
 * server (server/fleet/agones.ts) is the one Parley speaks to; the relay and
 * FleetAgent know only this interface.
 */
export interface GameServerSdk {
  /** Where the SDK server is expected, for messages: "localhost:9357". */
  readonly address: string;
  /** Resolves once the SDK server answers (FleetAgent bounds the wait, and closes the SDK when it gives up). */
  connect(): Promise<void>;
  /** The server is up and may be handed to players. */
  ready(): Promise<void>;
  /** "Still alive": one ping on the health stream; failures go to `onError`. */
  health(onError: (error: Error) => void): void;
  setLabel(key: string, value: string): Promise<void>;
  /** Done: the orchestrator may delete the server. */
  shutdown(): Promise<void>;
  close(): void;
}
