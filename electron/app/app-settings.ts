import type { ActionResult, SettingsPatch } from '../api/contract.js';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../api/settings.js';
import type { PeerPreference } from '../client/voice-client.js';
import type { SendPipelineSettings } from '../engine/send/send-pipeline.js';
import type { Notices } from './notices.js';
import { peerPreference, rememberPeer, rememberServer } from './settings-changes.js';
import type { LoadedSettings, SettingsStore } from './settings-store.js';
import { fail } from './user-error.js';

/**
 * The settings in use, with what the app remembers as the user acts (the
 * recent servers, a volume and mute per member name), and their file. A
 * save that fails is told in a notice, never thrown at an action.
 */
export class AppSettings {
  private value: Settings;

  constructor(
    private readonly store: SettingsStore,
    initial: Settings,
    private readonly notices: Notices,
    private readonly changed: () => void,
  ) {
    this.value = initial;
  }

  /** The store's settings, or defaults and the reason: settings that cannot be read never keep Parley from starting. */
  static load(store: SettingsStore): Promise<LoadedSettings> {
    return store.load().catch((error: unknown) => ({
      settings: DEFAULT_SETTINGS,
      problem: `Settings could not be loaded (${error instanceof Error ? error.message : String(error)}); defaults are in use.`,
    }));
  }

  get current(): Settings {
    return this.value;
  }

  /** What the send pipeline should do under these settings. */
  get send(): SendPipelineSettings {
    const settings = this.value;
    return {
      frameMs: settings.frameMs,
      bitrate: settings.bitrateKbps * 1000,
      activation: settings.activation,
      vadThresholdDb: settings.vadThresholdDb ?? undefined,
      inputGainDb: settings.inputGainDb,
      echoCancellation: settings.echoCancellation,
      noiseSuppression: settings.noiseSuppression,
      autoGain: settings.autoGain,
      red: 'auto',
    };
  }

  /** Applies a patch the schema accepts (not saved yet); returns the settings before it, or why it was refused. */
  update(patch: SettingsPatch): { ok: true; before: Settings } | { ok: false; refused: ActionResult } {
    const parsed = settingsSchema.safeParse({ ...this.value, ...patch });
    if (!parsed.success) return { ok: false, refused: fail('invalidSettings', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')) };
    const before = this.value;
    this.value = parsed.data;
    return { ok: true, before };
  }

  /** The port and room of the room being hosted, for the next time (saved with the join that follows). */
  rememberHosting(port: number, room: string): void {
    this.value = { ...this.value, hostPort: port, hostRoom: room };
  }

  /** After joining: the name used and the server, first in the recent list. */
  rememberJoin(name: string, address: string, room: string): void {
    this.value = rememberServer({ ...this.value, displayName: name }, address, room, Date.now());
    void this.save();
  }

  /** The volume and mute remembered for a member's display name. */
  preference(name: string): PeerPreference | undefined {
    return peerPreference(this.value, name);
  }

  rememberPeer(name: string, change: Partial<PeerPreference>): void {
    this.value = rememberPeer(this.value, name, change);
    void this.save();
  }

  async save(): Promise<void> {
    try {
      await this.store.save(this.value);
    } catch (error) {
      this.notices.add('error', `Settings could not be saved: ${(error as Error).message}`);
      this.changed();
    }
  }
}
