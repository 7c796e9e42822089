/** A peer shown talking this long with no media from anyone means media is not reaching us. */
export const MEDIA_STALL_MS = 3_000;

/**
 * Notices media stopping while control still flows: the roster (control)
 * says someone is talking, and for MEDIA_STALL_MS no media has arrived. Some
 * networks pass a few small UDP datagrams and drop a stream of them; the
 * session then moves to TCP. The caller passes the time in.
 */
export class MediaStallWatch {
  private talkingSince: number | undefined;
  private lastMediaAt = -Infinity;

  /** What the roster says now: whether any peer is talking (and not muted). */
  peersTalking(talking: boolean, now: number): void {
    if (!talking) this.talkingSince = undefined;
    else this.talkingSince ??= now;
  }

  media(now: number): void {
    this.lastMediaAt = now;
  }

  stalled(now: number): boolean {
    return this.talkingSince !== undefined && now - this.talkingSince >= MEDIA_STALL_MS && now - this.lastMediaAt >= MEDIA_STALL_MS;
  }

  clear(): void {
    this.talkingSince = undefined;
    this.lastMediaAt = -Infinity;
  }
}
