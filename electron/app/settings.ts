import { z } from 'zod';
import type { PeerPreference } from '../client/voice-client.js';

/**
 * Everything Parley remembers between runs. Stored as JSON in the
 * platform's app-data folder; every field has a default, so a missing or
 * partly written file still yields working settings.
 */
export const settingsSchema = z.object({
  displayName: z.string().max(32).default(''),
  /** Device names, not ids: ids change when devices come and go. null is the system default. */
  inputDevice: z.string().nullable().default(null),
  outputDevice: z.string().nullable().default(null),
  activation: z.enum(['voice', 'pushToTalk', 'continuous']).default('voice'),
  /** Voice activity threshold in dBFS; null lets Parley track the noise floor by itself. */
  vadThresholdDb: z.number().min(-90).max(0).nullable().default(null),
  /** A key name as the hotkey hook reports it, e.g. "F8" or "Ctrl+Shift+Space". */
  pushToTalkKey: z.string().max(64).nullable().default(null),
  inputGainDb: z.number().min(-20).max(20).default(0),
  frameMs: z.union([z.literal(10), z.literal(20), z.literal(40)]).default(20),
  bitrateKbps: z.number().int().min(16).max(64).default(24),
  cueSounds: z.boolean().default(true),
  closeToTray: z.boolean().default(true),
  /** Remembered by display name, as people reappear with new session ids. */
  peerVolumes: z.record(z.string(), z.object({ volume: z.number().min(0).max(2), muted: z.boolean() })).default({}),
  recentServers: z
    .array(z.object({ address: z.string(), room: z.string(), lastUsed: z.number() }))
    .max(10)
    .default([]),
  hostPort: z.number().int().min(1).max(65535).default(47000),
  hostRoom: z.string().max(64).default('Lobby'),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsPatch = Partial<Settings>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

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
