import type { AppSnapshot, LiveLevels, PeerLevels, PeerView, SelfLevels, SelfView } from './contract.js';

/** The fields of a member row that LiveLevels carries (the peer's id identifies it). */
const SELF_LEVEL_KEYS = ['talking', 'inputLevelDb', 'redundancy', 'uplinkKbps', 'quality'] as const satisfies readonly (keyof SelfView)[];
const PEER_LEVEL_KEYS = ['talking', 'levelDb', 'quality'] as const satisfies readonly (keyof PeerView)[];

// Compile-time checks that the lists name exactly the fields of SelfLevels and PeerLevels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const selfKeysListed: Same<(typeof SELF_LEVEL_KEYS)[number], keyof SelfLevels> = true;
const peerKeysListed: Same<(typeof PEER_LEVEL_KEYS)[number] | 'id', keyof PeerLevels> = true;
void selfKeysListed;
void peerKeysListed;

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) picked[key] = value[key];
  return picked;
}

function omit<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Omit<T, K> {
  const rest = { ...value };
  for (const key of keys) delete rest[key];
  return rest;
}

/** The live part of a snapshot, at its revision. */
export function levelsOf(snapshot: AppSnapshot): LiveLevels {
  return {
    revision: snapshot.revision,
    self: snapshot.room ? pick(snapshot.room.self, SELF_LEVEL_KEYS) : null,
    peers: snapshot.room?.peers.map((peer) => ({ id: peer.id, ...pick(peer, PEER_LEVEL_KEYS) })) ?? [],
    micTest: snapshot.micTest,
  };
}

/**
 * The snapshot with newer levels laid over it: what main would have published
 * at the levels' revision. Levels no newer than the snapshot leave it as it is.
 */
export function withLevels(snapshot: AppSnapshot, levels: LiveLevels): AppSnapshot {
  if (levels.revision <= snapshot.revision) return snapshot;
  const { room } = snapshot;
  const peers = new Map(levels.peers.map((peer) => [peer.id, peer]));
  return {
    ...snapshot,
    revision: levels.revision,
    room: room && {
      ...room,
      self: levels.self ? { ...room.self, ...pick(levels.self, SELF_LEVEL_KEYS) } : room.self,
      peers: room.peers.map((peer) => {
        const live = peers.get(peer.id);
        return live ? { ...peer, ...pick(live, PEER_LEVEL_KEYS) } : peer;
      }),
    },
    // Whether the test runs is state; how loud it is, live.
    micTest: snapshot.micTest && (levels.micTest ?? snapshot.micTest),
  };
}

/** Everything in a snapshot but its revision and levels: when this changes, the state must be published. */
export function withoutLevels(snapshot: AppSnapshot): unknown {
  const { room } = snapshot;
  return {
    ...omit(snapshot, ['revision']),
    room: room && { ...room, self: omit(room.self, SELF_LEVEL_KEYS), peers: room.peers.map((peer) => omit(peer, PEER_LEVEL_KEYS)) },
    micTest: snapshot.micTest !== null,
  };
}
