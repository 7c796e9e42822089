import { describe, expect, it } from 'vitest';
import { SILENCE_DB, type AppSnapshot } from '../../electron/api/contract.js';
import { SILENCE_DB as ENGINE_SILENCE_DB } from '../../electron/engine/dsp/decibels.js';
import { levelsOf, withLevels, withoutLevels } from '../../electron/api/live-levels.js';
import { ben, chloe, room, roomSnapshot, settingsSnapshot } from '../../renderer/src/fixtures.js';

/** The room fixture a moment later: only what moves on its own has moved. */
const later: AppSnapshot = {
  ...roomSnapshot,
  revision: 14,
  room: {
    ...room,
    self: { ...room.self, talking: true, inputLevelDb: -20, redundancy: true, uplinkKbps: 31, quality: { rttMs: 50, lossPct: 3, jitterMs: 4, grade: 'fair' } },
    peers: [{ ...ben, talking: false, levelDb: -100, quality: { ...ben.quality, kbps: 0 } }, { ...chloe, talking: true, levelDb: -25 }, room.peers[2]!],
  },
};

describe('live levels', () => {
  it('carry only what moves on its own: levels, talking, link measures', () => {
    expect(levelsOf(later)).toEqual({
      revision: 14,
      self: { talking: true, inputLevelDb: -20, redundancy: true, uplinkKbps: 31, quality: { rttMs: 50, lossPct: 3, jitterMs: 4, grade: 'fair' } },
      peers: [
        { id: 12, talking: false, levelDb: -100, quality: { ...ben.quality, kbps: 0 } },
        { id: 15, talking: true, levelDb: -25, quality: chloe.quality },
        { id: 21, talking: false, levelDb: -100, quality: room.peers[2]!.quality },
      ],
      micTest: null,
    });
  });

  it('laid over the earlier snapshot, give exactly the later one', () => {
    expect(withLevels(roomSnapshot, levelsOf(later))).toEqual(later);
    expect(withLevels(settingsSnapshot, levelsOf({ ...settingsSnapshot, revision: 30, micTest: { levelDb: -12, peakDb: -6, gateOpen: false, playback: false } }))).toEqual({
      ...settingsSnapshot,
      revision: 30,
      micTest: { levelDb: -12, peakDb: -6, gateOpen: false, playback: false },
    });
  });

  it('change nothing when no newer than the snapshot, or about members and tests it does not show', () => {
    expect(withLevels(later, levelsOf(roomSnapshot))).toBe(later);
    const strangers = { revision: 20, self: null, peers: [{ id: 99, talking: true, levelDb: -3, quality: ben.quality }], micTest: { levelDb: -3, peakDb: -1, gateOpen: true, playback: false } };
    expect(withLevels(roomSnapshot, strangers)).toEqual({ ...roomSnapshot, revision: 20 });
  });

  it('are left out of what decides whether the state changed', () => {
    expect(withoutLevels(later)).toEqual(withoutLevels(roomSnapshot));
    const chloeUnmuted = { ...roomSnapshot, room: { ...room, peers: [ben, { ...chloe, muted: false }, room.peers[2]!] } };
    expect(withoutLevels(chloeUnmuted)).not.toEqual(withoutLevels(roomSnapshot));
    // Whether the mic test runs is state; its level is not.
    expect(withoutLevels({ ...settingsSnapshot, micTest: { levelDb: -80, peakDb: -70, gateOpen: false, playback: false } })).toEqual(withoutLevels(settingsSnapshot));
    expect(withoutLevels({ ...settingsSnapshot, micTest: null })).not.toEqual(withoutLevels(settingsSnapshot));
  });

  it('read silence as the engine does', () => {
    expect(SILENCE_DB).toBe(ENGINE_SILENCE_DB);
  });
});
