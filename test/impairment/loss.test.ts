import { afterEach, describe, expect, it } from 'vitest';
import { carrySpeech, carrySpeechTogether } from '../support/speech-run.js';
import { VoiceRig } from '../support/voice-rig.js';

describe('speech over a lossy uplink (seeded, through the real relay)', () => {
  let rig: VoiceRig | undefined;
  afterEach(async () => {
    await rig?.close();
  });

  it('at 10 % random loss, RED recovers most dropped frames, and with or without it the same packets are dropped', async () => {
    rig = await VoiceRig.start();
    const [withRed, withoutRed] = await carrySpeechTogether(rig, [
      { room: 'red', seed: 10, uplink: { lossPct: 10 }, red: 'on', repeats: 2 },
      { room: 'plain', seed: 10, uplink: { lossPct: 10 }, red: 'off', repeats: 2 },
    ]);
    // Same seed, media-only impairment: the n-th media packet meets the same fate on both links. The two
    // encoders may differ by a packet or two (the loss hint from receiver reports shifts a DTX decision),
    // and only those extra packets can make the drops differ.
    expect(Math.abs(withRed.network.dropped - withoutRed.network.dropped)).toBeLessThanOrEqual(Math.abs(withRed.mediaSent - withoutRed.mediaSent));
    expect(withRed.network.dropped).toBeGreaterThan(10);
    // Without RED every dropped frame is lost; with it, only frames whose next packet was dropped too. A frame dropped
    // just before a DTX pause leaves no trace the receiver could tell from the pause itself, hence "at most".
    expect(withoutRed.stats.lost).toBeLessThanOrEqual(withoutRed.network.dropped);
    expect(withoutRed.stats.lost).toBeGreaterThanOrEqual(withoutRed.network.dropped - 2);
    expect(withRed.stats.recoveredByRed + withRed.stats.lost).toBeLessThanOrEqual(withRed.network.dropped);
    expect(withRed.stats.recoveredByRed + withRed.stats.lost).toBeGreaterThanOrEqual(withRed.network.dropped - 2);
    expect(withRed.stats.lost).toBeLessThan(withRed.network.dropped / 3);
    // No comparison of sound: in real time it measures the machine (see SpeechRunResult.match). That RED keeps speech
    // closer to the lossless playout than concealment alone is tested exactly in test/engine/receive/peer-receiver.loss.test.ts;
    // how both sound through the relay is measured by `npm run bench:engine` (bench/engine/quality-case.ts).
  });

  it('under bursty loss, each dropped frame is recovered by RED or counted lost, and none plays late', async () => {
    rig = await VoiceRig.start();
    const run = await carrySpeech(rig, { room: 'bursty', seed: 3, uplink: { burst: { enterPct: 5, leavePct: 40, lossPct: 80 } }, red: 'on' });
    expect(run.network.dropped).toBeGreaterThan(10);
    expect(run.stats.recoveredByRed + run.stats.lost).toBeLessThanOrEqual(run.network.dropped);
    expect(run.stats.recoveredByRed + run.stats.lost).toBeGreaterThanOrEqual(run.network.dropped - 3);
    // Bursts defeat single-depth RED: some frames go back to back.
    expect(run.stats.lost).toBeGreaterThan(0);
    expect(run.stats.recoveredByRed).toBeGreaterThan(0);
    expect(run.stats.late).toBe(0);
    // No check of sound (see SpeechRunResult.match); a burst of loss is played out exactly in peer-receiver.loss.test.ts.
  });
});
