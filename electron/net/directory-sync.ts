import { joinRoomListPages, type RoomList, type RoomListing } from '../../server/protocol/directory/room-list.js';

/**
 * The relay's directory as pages arrive: a revision counts once all its
 * pages are in, and a page of an older revision than the newest seen is
 * dropped (a push overtaken by a later one).
 */
export class DirectorySync {
  private revision = -1;
  private pages = new Map<number, RoomList>();
  private current: RoomListing[] | undefined;

  /** The rooms of the last complete directory; undefined until one has arrived. */
  get rooms(): RoomListing[] | undefined {
    return this.current;
  }

  /** True when this page completed a directory (read it from `rooms`). */
  onPage(page: RoomList): boolean {
    // Revisions count up from 1 per relay; a much smaller one is a restarted relay, so start over with it.
    if (page.revision < this.revision && this.revision - page.revision < 0x8000_0000) return false;
    if (page.revision !== this.revision) {
      this.revision = page.revision;
      this.pages = new Map();
    }
    this.pages.set(page.page, page);
    if (this.pages.size !== page.pageCount) return false;
    this.current = joinRoomListPages([...this.pages.values()]);
    return true;
  }

  clear(): void {
    this.revision = -1;
    this.pages = new Map();
    this.current = undefined;
  }
}
