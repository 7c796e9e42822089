import type { Logger } from 'pino';
import type { RelayChat } from './chat/relay-chat.js';
import type { RelayCounters } from './counters.js';
import type { Member } from './member.js';
import type { Membership } from './membership.js';
import type { ResolvedRelayOptions } from './options.js';
import type { Outbox } from './outbox.js';
import type { Rosters } from './rosters.js';

/** What the relay's units share: its options, who is where, their chat, the way out, and what is counted and logged. */
export interface RelayContext {
  options: ResolvedRelayOptions;
  membership: Membership;
  rosters: Rosters;
  chat: RelayChat<Member>;
  outbox: Outbox;
  counters: RelayCounters;
  log: Logger;
}
