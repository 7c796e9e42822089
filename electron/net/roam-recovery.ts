import { extendSequence } from '../../server/protocol/rtp.js';

/**
 * How long a sent media packet is kept for sending again. A roam heals one
 * round trip after the first refused packet, so this covers round trips up to
 * half a second; later than that a packet is no use even to a listener's
 * largest jitter buffer (400 ms).
 */
export const RESEND_WINDOW_MS = 500;

/** Pings prompted by the relay's notices are at least this far apart, so a flood of notices (forged, say) costs a few pings a second. */
export const ROAM_PING_SPACING_MS = 100;

interface SentPacket {
  /** The RTP sequence number extended across wraps. */
  index: number;
  sentAt: number;
  datagram: Uint8Array;
  resent: boolean;
}

export interface RoamResponse {
  /** Send a sealed message now: it authenticates, so the relay moves us to the address it came from. */
  ping: boolean;
  /** The refused media we still hold, oldest first, to send after the ping. */
  resend: Uint8Array[];
}

/**
 * What a client does when the relay says it refused our media because it
 * came from an address the relay does not have for us (a NAT rebinding gave
 * us a new public port, and nothing on this machine changed): ping at once,
 * since a sealed message moves us, and send again every packet from the
 * refused one on. The resent packets reach listeners a round trip late but
 * reach them, so the move shows in no loss figure and RED does not switch on
 * over it. Each packet is sent again at most once, so even a flood of forged
 * notices can at most double our media.
 */
export class RoamRecovery {
  private sent: SentPacket[] = [];
  private newestIndex = -1;
  private lastPingAt = -Infinity;

  /** Notes one media datagram as it went out (sealed). */
  recordSent(sequence: number, datagram: Uint8Array, now: number): void {
    const index = extendSequence(this.newestIndex, sequence);
    this.newestIndex = Math.max(this.newestIndex, index);
    this.sent.push({ index, sentAt: now, datagram, resent: false });
    this.forgetBefore(now - RESEND_WINDOW_MS);
  }

  /** The relay refused our packet `sequence`: what to do about it now. */
  onRefused(sequence: number, now: number): RoamResponse {
    this.forgetBefore(now - RESEND_WINDOW_MS);
    const ping = now - this.lastPingAt >= ROAM_PING_SPACING_MS;
    if (ping) this.lastPingAt = now;
    const resend: Uint8Array[] = [];
    if (this.newestIndex < 0) return { ping, resend };
    // A sequence older than all we hold resends all we hold; one newer than we sent (forged) resends nothing.
    const from = extendSequence(this.newestIndex, sequence);
    for (const packet of this.sent) {
      if (packet.index < from || packet.resent) continue;
      packet.resent = true;
      resend.push(packet.datagram);
    }
    return { ping, resend };
  }

  /** A new session: its packets are under a new id and key. */
  clear(): void {
    this.sent = [];
    this.newestIndex = -1;
    this.lastPingAt = -Infinity;
  }

  private forgetBefore(oldest: number): void {
    let stale = 0;
    while (stale < this.sent.length && this.sent[stale]!.sentAt < oldest) stale++;
    if (stale > 0) this.sent.splice(0, stale);
  }
}
