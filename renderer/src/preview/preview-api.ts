import type { AppSnapshot, PeerView, RoomView } from '../../../electron/api/contract.js';
import { FakeApi } from '../fake-api.js';

function withSelf(snapshot: AppSnapshot, change: Partial<RoomView['self']>): AppSnapshot {
  return snapshot.room ? { ...snapshot, room: { ...snapshot.room, self: { ...snapshot.room.self, ...change } } } : snapshot;
}

function withPeer(snapshot: AppSnapshot, name: string, change: Partial<PeerView>): AppSnapshot {
  if (!snapshot.room) return snapshot;
  return { ...snapshot, room: { ...snapshot.room, peers: snapshot.room.peers.map((p) => (p.name === name ? { ...p, ...change } : p)) } };
}

/**
 * The design preview's window.parley: a fixture snapshot that follows the
 * simple clicks (mute, volume, settings, notices) so the screens can be
 * tried by hand. Anything that would need the real app (joining, hosting,
 * devices) is only recorded.
 */
export function createPreviewApi(initial: AppSnapshot): FakeApi {
  const fake = new FakeApi(initial);
  fake.respond('setMuted', ([muted]) => void fake.update((s) => withSelf(s, { muted })));
  fake.respond('setDeafened', ([deafened]) => void fake.update((s) => withSelf(s, { deafened })));
  fake.respond('setPeerVolume', ([name, volume]) => void fake.update((s) => withPeer(s, name, { volume })));
  fake.respond('setPeerMuted', ([name, localMuted]) => void fake.update((s) => withPeer(s, name, { localMuted })));
  fake.respond('dismissNotice', ([id]) => void fake.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) })));
  fake.respond('updateSettings', ([patch]) => {
    fake.update((s) => ({ ...s, settings: { ...s.settings, ...patch } }));
    return { ok: true };
  });
  fake.respond('startMicTest', ([options]) => {
    fake.update((s) => ({ ...s, micTest: { levelDb: -34, peakDb: -22, gateOpen: true, playback: options.playback } }));
    return { ok: true };
  });
  fake.respond('stopMicTest', () => void fake.update((s) => ({ ...s, micTest: null })));
  fake.respond('leave', () => void fake.update((s) => ({ ...s, room: null, connection: { state: 'idle' } })));
  return fake;
}
