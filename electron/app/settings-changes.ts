import type { PeerPreference } from '../client/voice-client.js';
import type { Settings } from '../api/settings.js';

/**
 * The volume and mute remembered for a display name. Names come from the
 * network, so only the record's own entries count: a member called
 * "constructor" or "toString" must not find what every object inherits.
 */
export function peerPreference(settings: Settings, name: string): PeerPreference | undefined {
  return Object.hasOwn(settings.peerVolumes, name) ? settings.peerVolumes[name] : undefined;
}

/** Settings with `change` applied to what is remembered for `name` (volume 1, not muted, if nothing yet). */
export function rememberPeer(settings: Settings, name: string, change: Partial<PeerPreference>): Settings {
  const current = peerPreference(settings, name) ?? { volume: 1, muted: false };
  return { ...settings, peerVolumes: { ...settings.peerVolumes, [name]: { ...current, ...change } } };
}

/** Adds a server to the front of the recent list, without duplicates, ten at most. */
export function rememberServer(settings: Settings, address: string, room: string, now: number): Settings {
  const rest = settings.recentServers.filter((s) => !(s.address === address && s.room === room));
  return { ...settings, recentServers: [{ address, room, lastUsed: now }, ...rest].slice(0, 10) };
}
