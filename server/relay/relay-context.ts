import type { Logger } from 'pino';
import type { KeptSecret } from './admission.js';
import type { RoomDirectory } from './directory/room-directory.js';
import type { RelayChat } from './chat/relay-chat.js';
import type { RelayCounters } from './counters.js';
import type { Member } from './member.js';
import type { Membership } from './membership.js';
import type { ResolvedRelayOptions } from './options.js';
import type { Outbox } from './outbox.js';
import type { Rosters } from './rosters.js';

/** What the relay's units share: its options, who is where, the directory, their chat, the way out, and what is counted and logged. */
export interface RelayContext {
  options: ResolvedRelayOptions;
  membership: Membership;
  directory: RoomDirectory;
  /** Rooms whose secret the relay holds, by name (a hosting app's own room, rooms with a password). */
  keptSecrets: ReadonlyMap<string, KeptSecret>;
  rosters: Rosters;
  chat: RelayChat<Member>;
  outbox: Outbox;
  counters: RelayCounters;
  log: Logger;
}
