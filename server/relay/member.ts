import type { MemberFlags } from '../protocol/constants.js';
import type { SealedReceiver, SealedSender } from '../protocol/sealed-channel.js';
import { LOSS_UNKNOWN, type Moved } from '../protocol/session-messages.js';
import { TokenBucket } from '../shared/token-bucket.js';
import { BudgetedEndpoint } from './budgeted-endpoint.js';
import type { RateLimitOptions } from './options.js';
import type { Room } from './room.js';
import type { StreamLink } from './endpoint.js';
import { UplinkLossMeter } from './uplink-loss.js';

/**
 * Moves to another room per member and second, and at once: a person clicks
 * through rooms far slower, and each move costs a signature check and two
 * rooms' rosters, so a member moving in a loop must not make the relay flood
 * those rooms. A retried MOVE (same id) is answered from memory and costs none.
 */
const MOVES_PER_SECOND = 2;
const MOVE_BURST = 5;

export interface MemberInit {
  id: number;
  name: string;
  room: Room;
  /** This session's join nonce and the relay's key for it: what a move's room proof is bound to. */
  sessionBinding: { clientNonce: Uint8Array; relayPublicKey: Uint8Array };
  address: string;
  port: number;
  /** Set when the member joined over a stream: the only way back to it. */
  stream?: StreamLink | undefined;
  flags: MemberFlags;
  mediaSalt: Uint8Array;
  sender: SealedSender;
  receiver: SealedReceiver;
  welcome: Buffer;
  now: number;
  rateLimit: RateLimitOptions;
}

/**
 * One joined client as the relay sees it. Its id is also its SSRC: media and
 * control are bound to the address it joined (or roamed) from.
 */
export class Member extends BudgetedEndpoint {
  readonly id: number;
  readonly name: string;
  /** Changes when the member moves to another room in the same session, and so does its media salt. */
  room: Room;
  mediaSalt: Uint8Array;
  readonly sessionBinding: { clientNonce: Uint8Array; relayPublicKey: Uint8Array };
  readonly sender: SealedSender;
  readonly receiver: SealedReceiver;
  flags: MemberFlags;
  lastHeardAt: number;
  /** Kept until the member's first sealed message proves it got it, so a retried JOIN is answered alike. */
  welcome: Buffer | null;
  private readonly moveBudget: TokenBucket;
  readonly uplinkLoss = new UplinkLossMeter();
  /** The answer to the member's last MOVE, so a retried one (same id) gets it again. */
  lastMove: { moveId: number; reply: Moved } | undefined;
  /**
   * Chat from this member sealed before this counter belongs to the room it moved out of (its MOVE's counter):
   * it is ignored, so it cannot be taken for the new room's chat channel, which starts over.
   */
  chatFromCounter = 0;
  /** Worst loss a listener reported for this member since its last PONG. */
  downlinkLossPermille = LOSS_UNKNOWN;

  constructor(init: MemberInit) {
    super(init.address, init.port, init.stream, init.rateLimit, init.now);
    this.id = init.id;
    this.name = init.name;
    this.room = init.room;
    this.sessionBinding = init.sessionBinding;
    this.flags = init.flags;
    this.mediaSalt = init.mediaSalt;
    this.sender = init.sender;
    this.receiver = init.receiver;
    this.welcome = init.welcome;
    this.lastHeardAt = init.now;
    this.moveBudget = new TokenBucket(MOVES_PER_SECOND, MOVE_BURST, init.now);
  }

  /** Whether a new move may be handled now. */
  mayMove(now: number): boolean {
    return this.moveBudget.take(now);
  }

  noteDownlinkLoss(permille: number): void {
    if (this.downlinkLossPermille === LOSS_UNKNOWN || permille > this.downlinkLossPermille) this.downlinkLossPermille = permille;
  }

  takeDownlinkLoss(): number {
    const value = this.downlinkLossPermille;
    this.downlinkLossPermille = LOSS_UNKNOWN;
    return value;
  }
}
