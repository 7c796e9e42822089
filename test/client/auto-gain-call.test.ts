import { describe, expect, it } from 'vitest';
import { DEFAULT_SEND_SETTINGS } from '../../electron/engine/send/send-pipeline.js';
import { speechAt } from '../engine/send/processing/gain-signals.js';
import { SimulatedCall } from '../support/simulated-call.js';
import { activeLevelBySegmentsDb, concatSamples, peak } from '../support/signals.js';

/** What Ben hears of Ana's voice, said at `levelDb`, over the second of two passes (the gain has settled by then). */
async function heardLevel(levelDb: number): Promise<{ levelDb: number; peak: number }> {
  const said = concatSamples(speechAt(levelDb, 2).blocks);
  const send = { ...DEFAULT_SEND_SETTINGS, activation: 'continuous' as const, autoGain: true, noiseSuppression: 'off' as const, echoCancellation: false };
  const call = await SimulatedCall.start({ voice: said, networkMs: 0, send });
  try {
    await call.run();
    const heard = call.benSpeaker.recording;
    const lastPass = heard.subarray(Math.floor(heard.length / 2));
    return { levelDb: activeLevelBySegmentsDb(lastPass), peak: peak(lastPass) };
  } finally {
    await call.close();
  }
}

describe('automatic gain through a call (simulated clock, real relay)', () => {
  it('brings a −40 dBFS and a −6 dBFS microphone to the same level at the listener (within 1 dB), unclipped', async () => {
    const quiet = await heardLevel(-40);
    const loud = await heardLevel(-6);
    // 34 dB apart as said; the issue asks for 6 dB at most. Simulated, the run is the same every time: −21.0 and −21.3 dBFS.
    expect(Math.abs(loud.levelDb - quiet.levelDb)).toBeLessThan(1);
    for (const { levelDb } of [quiet, loud]) {
      expect(levelDb).toBeGreaterThan(-22);
      expect(levelDb).toBeLessThan(-20);
    }
    expect(Math.max(quiet.peak, loud.peak)).toBeLessThan(1);
  }, 90_000);
});
