import { describe, expect, it } from 'vitest';
import { NAME_LIMITS, utf8Bytes } from '../../electron/api/name-limits.js';
import { settingsSchema } from '../../electron/api/settings.js';
import { apiArgumentSchemas } from '../../electron/api/validation.js';
import { LIMITS } from '../../server/protocol/constants.js';
import { isValidDisplayName, isValidRoomName } from '../../server/protocol/names.js';

describe('name limits: the window, the settings and the wire agree', () => {
  it('are the protocol’s own, in UTF-8 bytes', () => {
    expect(NAME_LIMITS).toEqual({ displayNameBytes: LIMITS.maxDisplayNameBytes, roomNameBytes: LIMITS.maxRoomNameBytes });
  });

  it('accept exactly the names the relay accepts, counted in bytes', () => {
    const join = (name: string, room: string) => apiArgumentSchemas.join.safeParse([{ target: '127.0.0.1:47000', name, room }]).success;
    const zoe16 = 'Zoë'.repeat(8); // 24 characters, 32 bytes
    const zoe17 = `${zoe16}e`; // 25 characters, 33 bytes
    expect([isValidDisplayName(zoe16), join(zoe16, 'Lobby'), settingsSchema.safeParse({ displayName: zoe16 }).success]).toEqual([true, true, true]);
    expect([isValidDisplayName(zoe17), join(zoe17, 'Lobby'), settingsSchema.safeParse({ displayName: zoe17 }).success]).toEqual([false, false, false]);
    // A peer's volume and mute are set by its display name.
    const peer = (name: string) => [apiArgumentSchemas.setPeerVolume.safeParse([name, 1]).success, apiArgumentSchemas.setPeerMuted.safeParse([name, true]).success];
    expect([...peer(zoe16), ...peer(zoe17)]).toEqual([true, true, false, false]);
    const room64 = 'é'.repeat(32);
    const room65 = `${room64}x`;
    expect([isValidRoomName(room64), join('Ana', room64), settingsSchema.safeParse({ hostRoom: room64 }).success]).toEqual([true, true, true]);
    expect([isValidRoomName(room65), join('Ana', room65), settingsSchema.safeParse({ hostRoom: room65 }).success]).toEqual([false, false, false]);
  });

  it('count as the relay counts: UTF-8 bytes, four for a character beyond the BMP', () => {
    for (const text of ['Ana', 'Zoë', '日'.repeat(11), '🎧 Raid', '']) expect(utf8Bytes(text)).toBe(Buffer.byteLength(text));
    expect([utf8Bytes('日'.repeat(11)), utf8Bytes('🎧')]).toEqual([33, 4]);
  });
});
