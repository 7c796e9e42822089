import type { DirectoryRoomView } from '../api/contract.js';
import type { ListedRoom } from '../net/directory-sync.js';

/** The relay's directory as the window shows it, our own room marked. */
export function directoryView(rooms: readonly ListedRoom[], currentRoom: string): DirectoryRoomView[] {
  return rooms.map((room) => ({ ...room, members: room.members.map((member) => ({ ...member })), current: room.name === currentRoom }));
}
