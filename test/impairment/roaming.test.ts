import { afterEach, describe, expect, it } from 'vitest';
import { WavFileSource } from '../../electron/audio/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { isControl } from '../../server/protocol/control.js';
import { loadSpeech } from '../engine/send/helpers.js';
import { collectMedia, joinRelay, waitFor } from '../helpers/relay.js';
import { hears, RIG_SECRET, sleep, VoiceRig } from '../support/voice-rig.js';

const PING_INTERVAL_MS = 500;

describe('a talker whose NAT rebinds mid-talk (through the real relay)', () => {
  let rig: VoiceRig | undefined;
  let tap: RelaySession | undefined;
  afterEach(async () => {
    await tap?.leave();
    tap = undefined;
    await rig?.close();
    rig = undefined;
  });

  it('is followed at once: the listener misses no packet, and the move is not taken for loss, so RED stays off', async () => {
    // Short ping intervals so that loss reports covering the move reach the talker within the test.
    rig = await VoiceRig.start({ pingIntervalMs: PING_INTERVAL_MS });
    const { client: listener } = await rig.join({ name: 'listener' });
    // A second listener that records exactly which of the talker's packets reach it.
    tap = await joinRelay(rig.relay, { room: 'lobby', name: 'tap', secret: RIG_SECRET });
    const arrivals = collectMedia(tap);
    const speech = new WavFileSource({ path: rig.writeWav('speech', loadSpeech()), loop: true });
    const { client: talker, proxy } = await rig.join({
      name: 'talker',
      input: speech,
      send: { activation: 'continuous', red: 'auto' },
      network: { seed: 1 },
    });
    await hears(listener, 'talker');
    const fromTalker = (): number[] => arrivals.filter((a) => a.peerId === talker.memberId).map((a) => a.index);
    await waitFor('a second of talk', () => fromTalker().length >= 50, 5_000);

    // Rebind just after a ping has passed, so that without help the relay would not hear a sealed message for a whole interval.
    proxy!.record = true;
    await waitFor('a ping on its way', () => proxy!.recorded.toRelay.some((datagram) => isControl(datagram)), 2_000, 1);
    proxy!.rebindClients();
    const sentBeforeMove = fromTalker().length;
    // Five ping intervals: the listener's report covering the move, then the talker's next PONGs.
    await sleep(5 * PING_INTERVAL_MS);
    const heard = fromTalker();
    // Talk went on after the move (fewer than 50 packets a second: Opus DTX thins the pauses).
    expect(heard.length).toBeGreaterThan(sentBeforeMove + 50);

    const first = Math.min(...heard);
    const last = Math.max(...heard);
    const received = new Set(heard);
    const missed = Array.from({ length: last - first + 1 }, (_, i) => first + i).filter((index) => !received.has(index));
    expect(missed).toEqual([]);
    expect(rig.relay.stats().roams).toBe(1);
    const self = talker.snapshot().self;
    // A loss report measured after the move reached the talker, and it saw no loss there.
    expect(self.uplinkLossPct).toBe(0);
    expect(self.redundancy).toBe(false);
  });
});
