import { z } from 'zod';
import { NAME_LIMITS } from './name-limits.js';
import { utf8Text } from './utf8-text.js';

/**
 * Everything Parley remembers between runs. Stored as JSON in the
 * platform's app-data folder; every field has a default, so a missing or
 * partly written file still yields working settings. Part of the API: the
 * window reads settings in every snapshot and changes them with a patch
 * that main validates against this schema.
 */
export const settingsSchema = z.object({
  displayName: utf8Text(NAME_LIMITS.displayNameBytes).default(''),
  /** Device names, not ids: ids change when devices come and go. null is the system default. */
  inputDevice: z.string().nullable().default(null),
  outputDevice: z.string().nullable().default(null),
  activation: z.enum(['voice', 'pushToTalk', 'continuous']).default('voice'),
  /** Voice activity threshold in dBFS; null lets Parley track the noise floor by itself. */
  vadThresholdDb: z.number().min(-90).max(0).nullable().default(null),
  /** A key name as the hotkey hook reports it, e.g. "F8" or "Ctrl+Shift+Space". */
  pushToTalkKey: z.string().max(64).nullable().default(null),
  inputGainDb: z.number().min(-20).max(20).default(0),
  /** Removes the others' voices that the speaker plays back into the microphone. */
  echoCancellation: z.boolean().default(true),
  noiseSuppression: z.enum(['off', 'low', 'high']).default('high'),
  /** Brings the microphone to a steady speech level; the input gain still applies before it. */
  autoGain: z.boolean().default(true),
  frameMs: z.union([z.literal(10), z.literal(20), z.literal(40)]).default(20),
  bitrateKbps: z.number().int().min(16).max(64).default(24),
  cueSounds: z.boolean().default(true),
  /** A system notification for a chat message that arrives while the window is not in front. */
  chatNotifications: z.boolean().default(true),
  closeToTray: z.boolean().default(true),
  /** Remembered by display name, as people reappear with new session ids. */
  peerVolumes: z.record(z.string(), z.object({ volume: z.number().min(0).max(2), muted: z.boolean() })).default({}),
  recentServers: z
    .array(z.object({ address: z.string(), room: z.string(), lastUsed: z.number() }))
    .max(10)
    .default([]),
  hostPort: z.number().int().min(1).max(65535).default(47000),
  hostRoom: utf8Text(NAME_LIMITS.roomNameBytes).default('Lobby'),
  /** "Ask my router to open the port" when hosting (NAT-PMP, UPnP). */
  mapPort: z.boolean().default(true),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsPatch = Partial<Settings>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
