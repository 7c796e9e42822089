import type { ChatDelivery } from '../../protocol/chat/chat-messages.js';
import { randomBytes } from '../../protocol/crypto.js';

export interface ChatHistoryLimits {
  /** Messages kept per room, the newest. */
  perRoom: number;
  /** Bytes of message bodies kept across all rooms; past it the oldest messages anywhere go first. */
  totalBytes: number;
}

/** 50 messages a room (what a member sees on joining), and 16 MiB in all, so a relay of full rooms stays small. */
export const DEFAULT_CHAT_HISTORY: ChatHistoryLimits = { perRoom: 50, totalBytes: 16 * 1024 * 1024 };

interface Kept {
  room: string;
  message: ChatDelivery;
  /** Already forgotten by its room (pushed out by newer ones); still in the arrival queue until compacted. */
  gone: boolean;
}

interface RoomLog {
  kept: Kept[];
  /** The index the room's next message gets. */
  nextIndex: number;
  /** Random, so a log begun after the room emptied is told from the one before. */
  id: number;
}

/**
 * What each room said lately, in memory only, as it arrived: ciphertext in a
 * room with a secret, which the relay cannot read. A room's log goes when the
 * room empties, so nothing outlives the conversation it belongs to.
 */
export class ChatHistory {
  private readonly rooms = new Map<string, RoomLog>();
  /** Every kept message in arrival order across rooms, for the total bound. */
  private arrivals: Kept[] = [];
  private goneInArrivals = 0;
  private bytes = 0;

  constructor(private readonly limits: ChatHistoryLimits = DEFAULT_CHAT_HISTORY) {}

  /** The room's next index: deliveries are numbered in one order per room, the order every member sees. */
  nextIndex(room: string): number {
    return this.log(room).nextIndex++;
  }

  keep(room: string, message: ChatDelivery): void {
    const log = this.log(room);
    const kept: Kept = { room, message, gone: false };
    log.kept.push(kept);
    this.arrivals.push(kept);
    this.bytes += message.body.length;
    if (log.kept.length > this.limits.perRoom) this.forget(log.kept.shift()!);
    while (this.bytes > this.limits.totalBytes) {
      const oldest = this.arrivals.find((k) => !k.gone)!;
      const owner = this.rooms.get(oldest.room)!;
      owner.kept.splice(owner.kept.indexOf(oldest), 1);
      this.forget(oldest);
    }
    // Forgotten entries are dropped from the queue once they outnumber the rest, so it stays within twice what is kept.
    if (this.goneInArrivals > this.arrivals.length / 2) {
      this.arrivals = this.arrivals.filter((k) => !k.gone);
      this.goneInArrivals = 0;
    }
  }

  /** Which log the room's numbers belong to (see CHAT_READY). */
  logId(room: string): number {
    return this.log(room).id;
  }

  recent(room: string): ChatDelivery[] {
    return this.rooms.get(room)?.kept.map((k) => k.message) ?? [];
  }

  /** The room emptied: its log goes. */
  forgetRoom(room: string): void {
    const log = this.rooms.get(room);
    if (!log) return;
    for (const kept of log.kept) this.forget(kept);
    this.rooms.delete(room);
  }

  get totalBytes(): number {
    return this.bytes;
  }

  private log(room: string): RoomLog {
    let log = this.rooms.get(room);
    if (!log) {
      log = { kept: [], nextIndex: 1, id: randomBytes(4).readUInt32BE(0) };
      this.rooms.set(room, log);
    }
    return log;
  }

  private forget(kept: Kept): void {
    kept.gone = true;
    this.goneInArrivals++;
    this.bytes -= kept.message.body.length;
  }
}
